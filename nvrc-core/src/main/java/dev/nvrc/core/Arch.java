package dev.nvrc.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A CPU architecture nvrc runs on, with the names the rest of the system spells it by: the
 * Debian multiarch triplet of its library directories ({@code /usr/lib/aarch64-linux-gnu}), the
 * Debian architecture of its packages ({@code arm64}) and jffi's directory of native libraries
 * ({@code jni/aarch64-Linux}).
 *
 * <p>This is the one place those names live. At run time the architecture is the running JVM's
 * ({@link #current()}: a JVM of the boot image runs only on the architecture it was built for);
 * at build time it is the {@code nvrc.arch} property, which the image scripts map the same way
 * (docs/boot-image.md).
 */
public enum Arch {
    /** x86-64 (amd64). */
    X86_64("x86_64", "x86_64-linux-gnu", "amd64"),
    /** 64-bit Arm (arm64): Grace (GH200, GB200) guests. */
    AARCH64("aarch64", "aarch64-linux-gnu", "arm64");

    private final String id;
    private final String triplet;
    private final String debian;

    Arch(String id, String triplet, String debian) {
        this.id = id;
        this.triplet = triplet;
        this.debian = debian;
    }

    /**
     * The architecture of a name: the kernel's ({@code uname -m}: {@code x86_64},
     * {@code aarch64}), the JVM's ({@code os.arch}: {@code amd64}, {@code aarch64}) or Debian's
     * ({@code amd64}, {@code arm64}); case does not matter.
     */
    public static Optional<Arch> of(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Arch a : values()) {
            if (n.equals(a.id) || n.equals(a.debian)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /**
     * The architecture of the running JVM.
     *
     * @throws IllegalStateException on an architecture nvrc has no image for
     */
    public static Arch current() {
        return ofJvm(System.getProperty("os.arch"));
    }

    /** The architecture of a JVM whose {@code os.arch} is {@code osArch}; see {@link #current()}. */
    static Arch ofJvm(String osArch) {
        return of(osArch).orElseThrow(() -> new IllegalStateException(
                "unsupported architecture: os.arch=" + osArch + " (nvrc runs on " + names() + ")"));
    }

    /** Every architecture's name, for messages: {@code x86_64, aarch64}. */
    public static String names() {
        return String.join(", ", List.of(values()).stream().map(Arch::id).toList());
    }

    /** The kernel's name ({@code uname -m}): {@code x86_64}, {@code aarch64}. */
    public String id() {
        return id;
    }

    /** The Debian multiarch triplet: {@code x86_64-linux-gnu}, {@code aarch64-linux-gnu}. */
    public String triplet() {
        return triplet;
    }

    /** The Debian architecture: {@code amd64}, {@code arm64}. */
    public String debian() {
        return debian;
    }

    /** jffi's directory of native libraries in its native jar: {@code jni/aarch64-Linux}. */
    public String jffiDir() {
        return "jni/" + id + "-Linux";
    }

    /**
     * The multiarch library directories, as guest paths, in the order a loader tries them:
     * {@code /usr/lib/<triplet>}, {@code /lib/<triplet>}.
     */
    public List<String> libraryDirs() {
        return List.of("/usr/lib/" + triplet, "/lib/" + triplet);
    }

    @Override
    public String toString() {
        return id;
    }
}
