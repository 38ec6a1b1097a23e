package dev.nvrc.imagetools;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The file inventory an image SBOM holds, {@code /path -> sha256}, and the check of an unpacked
 * image against it: what an auditor runs before trusting an image (docs/security.md).
 */
public final class ImageInventory {
    /** The CDS archive: dumped after the SBOM and not reproducible, so not in it. */
    public static final String CDS_ARCHIVE_PATH = ImageSbom.NVRC_DIR + "/app.jsa";
    /** Image files an image SBOM does not list: the SBOMs themselves and the CDS archive. */
    public static final Set<String> NOT_LISTED =
            Set.of(ImageSbom.JAR_SBOM_PATH, ImageSbom.IMAGE_SBOM_PATH, CDS_ARCHIVE_PATH);

    private ImageInventory() {}

    /**
     * Reads the inventory of an image SBOM: every component, at any depth, that names an image
     * path ({@link ImageSbom#PATH_PROPERTY}), with its SHA-256.
     *
     * @param bom an image SBOM
     * @return absolute image path to lower-case hex SHA-256, sorted by path
     * @throws IllegalArgumentException if a path is listed twice or has no SHA-256
     */
    public static Map<String, String> listed(JsonNode bom) {
        Map<String, String> files = new TreeMap<>();
        collect(bom.path("components"), files);
        return files;
    }

    private static void collect(JsonNode components, Map<String, String> files) {
        for (JsonNode component : components) {
            String sha256 = null;
            for (JsonNode hash : component.path("hashes")) {
                if ("SHA-256".equals(hash.path("alg").asText())) {
                    sha256 = hash.path("content").asText();
                }
            }
            for (JsonNode property : component.path("properties")) {
                if (ImageSbom.PATH_PROPERTY.equals(property.path("name").asText())) {
                    String path = property.path("value").asText();
                    if (sha256 == null) {
                        throw new IllegalArgumentException(path + " is listed without a SHA-256");
                    }
                    if (files.put(path, sha256) != null) {
                        throw new IllegalArgumentException(path + " is listed twice");
                    }
                }
            }
            collect(component.path("components"), files);
        }
    }

    /**
     * Hashes the files of an unpacked image the way its SBOM lists them.
     *
     * @param root the unpacked image (holds {@code usr/lib/nvrc})
     * @return absolute image path to SHA-256 of every regular file but {@link #NOT_LISTED}
     * @throws IOException if the tree cannot be read
     */
    public static Map<String, String> present(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String path = root.relativize(file).toString().replace('\\', '/');
                if (!NOT_LISTED.contains(path)) {
                    files.put("/" + path, FileHash.sha256(file));
                }
            }
        }
        return files;
    }

    /**
     * Compares an unpacked image with its SBOM.
     *
     * @param listed what the SBOM says, from {@link #listed(JsonNode)}
     * @param present what the tree holds, from {@link #present(Path)}
     * @return one line per difference (missing, unlisted, different content); empty if they agree
     */
    public static List<String> differences(Map<String, String> listed, Map<String, String> present) {
        List<String> problems = new ArrayList<>();
        Map<String, String> all = new TreeMap<>(listed);
        present.forEach(all::putIfAbsent);
        for (String path : all.keySet()) {
            String want = listed.get(path);
            String have = present.get(path);
            if (have == null) {
                problems.add(path + ": in the SBOM, not in the image");
            } else if (want == null) {
                problems.add(path + ": in the image, not in the SBOM");
            } else if (!want.equals(have)) {
                problems.add(path + ": sha256 " + have + ", the SBOM says " + want);
            }
        }
        return problems;
    }
}
