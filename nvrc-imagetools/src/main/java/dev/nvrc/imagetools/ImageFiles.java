package dev.nvrc.imagetools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The files of an image tree sorted by what accounts for each: the launcher jar, a dependency jar,
 * the stub, or an {@link Origins origin}. A file nothing accounts for is an error: the image SBOM
 * lists every file or is not written.
 */
final class ImageFiles {
    private static final String LIB_DIR = ImageSbom.NVRC_DIR + "/lib/";

    /** Whether {@link ImageSbom#LAUNCHER_JAR} is in the tree. */
    boolean launcherJar;
    /** The jars in {@code lib/}. */
    final List<String> libJars = new ArrayList<>();
    /** The paths of the stub that are in the tree. */
    final List<String> stub = new ArrayList<>();
    /**
     * One group per package URL (libc6 owns both the sysroot's libc and the loader in jre/bin), or
     * per path for files nobody owns, in key order: each origin of the group with its files.
     */
    final Map<String, Map<Origins.Origin, List<String>>> byOrigin = new TreeMap<>();

    private ImageFiles() {}

    /**
     * Sorts an inventory.
     *
     * @param inventory image-relative paths of every file to list
     * @param origins where the copied files come from
     * @return the sorted files
     * @throws IllegalArgumentException naming the first file nothing accounts for
     */
    static ImageFiles sort(List<String> inventory, Origins origins) {
        ImageFiles files = new ImageFiles();
        for (String file : inventory) {
            if (file.equals(ImageSbom.LAUNCHER_JAR)) {
                files.launcherJar = true;
            } else if (file.startsWith(LIB_DIR) && file.endsWith(".jar")) {
                files.libJars.add(file);
            } else if (ImageSbom.STUB_PATHS.contains(file)) {
                files.stub.add(file);
            } else {
                Origins.Origin origin = origins.of(file).orElseThrow(() -> new IllegalArgumentException(
                        "/" + file + " is in the image but nothing says where it comes from"
                        + " (not a jar of the jar SBOM, not the stub, no origin covers it)"));
                String key = origin.purl().equals(Origins.UNKNOWN) ? origin.purl() + "/" + origin.path() : origin.purl();
                files.byOrigin.computeIfAbsent(key, k -> new LinkedHashMap<>())
                        .computeIfAbsent(origin, o -> new ArrayList<>()).add(file);
            }
        }
        return files;
    }
}
