package dev.nvrc.vmtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The sizes the benchmark reports of the boot image and the test initramfs, in kB (1024 bytes,
 * rounded up): a file's own size for the compressed image and the initramfs, and for a tree the
 * apparent size of everything in it, directories and links included, a hard-linked file once (what
 * {@code du -sk --apparent-size} prints).
 *
 * @param packedKb the compressed image ({@code nvrc-image.tar.gz})
 * @param unpackedKb the image's root tree
 * @param initrdKb the VM tests' initramfs
 * @param jvmKb {@code jre/lib/server/libjvm.so}
 * @param modulesKb the jlink'ed module image, {@code jre/lib/modules}
 * @param jsaKb the class archive, {@code app.jsa}
 * @param sysrootKb the private libc and loader ({@code sysroot}) and the launcher binary ({@code jre/bin/nvrc})
 * @param jarsKb {@code nvrc.jar} and {@code lib/}
 * @param databindKb {@code lib/jackson-databind-*.jar}
 */
public record ImageSizes(long packedKb, long unpackedKb, long initrdKb, long jvmKb, long modulesKb, long jsaKb, long sysrootKb,
        long jarsKb, long databindKb) {
    /** Where nvrc lives in the image's root. */
    static final String NVRC = "usr/lib/nvrc";

    /**
     * The sizes of the image built in {@code root} and packed as {@code tarball}, and of {@code initrd};
     * an {@link IllegalArgumentException} when one of the three is missing (a part inside the image
     * that is missing counts 0 kB, as in an image built without it).
     */
    public static ImageSizes of(Path tarball, Path root, Path initrd) {
        for (Path p : List.of(tarball, root, initrd)) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("no " + p + " (build the image: mvn -pl nvrc-vmtest -am verify -DskipTests)");
            }
        }
        Path nvrc = root.resolve(NVRC);
        return new ImageSizes(fileKb(tarball), treeKb(root), fileKb(initrd), treeKb(nvrc.resolve("jre/lib/server/libjvm.so")),
                treeKb(nvrc.resolve("jre/lib/modules")), treeKb(nvrc.resolve("app.jsa")),
                treeKb(nvrc.resolve("sysroot")) + treeKb(nvrc.resolve("jre/bin/nvrc")),
                treeKb(nvrc.resolve("nvrc.jar")) + treeKb(nvrc.resolve("lib")), glob(nvrc.resolve("lib"), "jackson-databind-*.jar"));
    }

    /** What the image holds besides the parts named. */
    public long restKb() {
        return unpackedKb - jvmKb - modulesKb - jsaKb - sysrootKb - jarsKb;
    }

    /** libjvm, the module image and the sysroot: the floor of an image with this JVM. */
    public long floorKb() {
        return jvmKb + modulesKb + sysrootKb;
    }

    /** A file's size in kB, rounded up; 0 when it is missing. */
    static long fileKb(Path file) {
        try {
            return Files.isRegularFile(file) ? kb(Files.size(file)) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat " + file, e);
        }
    }

    /** The apparent size of a file or tree in kB, rounded up; 0 when it is missing. */
    static long treeKb(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        Set<Object> seen = new HashSet<>();
        long bytes = 0;
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.toList()) {
                Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino,size", LinkOption.NOFOLLOW_LINKS);
                if (seen.add(List.of(a.get("dev"), a.get("ino")))) {
                    bytes += (Long) a.get("size");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk " + top, e);
        }
        return kb(bytes);
    }

    private static long glob(Path dir, String pattern) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> m.matches(f.getFileName())).mapToLong(ImageSizes::treeKb).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static long kb(long bytes) {
        return (bytes + 1023) / 1024;
    }
}
