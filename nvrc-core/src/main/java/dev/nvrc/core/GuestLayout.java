package dev.nvrc.core;

import java.nio.file.Files;
import java.util.Collection;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the NVIDIA user space and modules are in the guest: in the base image, or in the Kata
 * {@code gpu} guest extension mounted at {@value #GPU_EXTENSION} (composable VM images).
 *
 * <p>Decided once per boot, from the extensions that will be mounted (the block devices with an
 * {@code extension-<name>} serial reconciled with the command line), before any of them is: so
 * the plan of a tree whose extension is not mounted shows the same paths the boot will use. Every
 * step builder takes this value; none looks at the file system to find out.
 *
 * <p>{@link #path P(x)} is the guest path of the NVIDIA component a monolithic image installs at
 * {@code x}: {@code x} itself, or the extension root followed by {@code x}. What is not NVIDIA's
 * ({@code /sbin/modprobe}, {@code /sbin/ldconfig}, everything under {@code /run}, in-tree modules)
 * stays where it is.
 */
public final class GuestLayout {
    /** Where every guest extension is mounted, one directory per extension name. */
    public static final String EXTENSIONS = "/run/kata-extensions";
    /** The name of the extension that carries the NVIDIA user space. */
    public static final String GPU = "gpu";
    /** The mount point of the {@code gpu} guest extension. */
    public static final String GPU_EXTENSION = EXTENSIONS + "/" + GPU;
    /** kata-agent's attester variant when the GPU must be attested (the extension's components.toml). */
    public static final String ATTESTER_VARIANT_NVIDIA = "nvidia";

    private final Set<String> extensions;
    private final String extensionRoot;

    private GuestLayout(Collection<String> extensions) {
        this.extensions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(extensions));
        this.extensionRoot = this.extensions.contains(GPU) ? GPU_EXTENSION : null;
    }

    /** A monolithic image: no extension, every path as it is. */
    public static GuestLayout baseImage() {
        return new GuestLayout(Set.of());
    }

    /** A composable image whose NVIDIA user space is the extension at {@value #GPU_EXTENSION}. */
    public static GuestLayout gpuExtension() {
        return new GuestLayout(Set.of(GPU));
    }

    /** The layout once the extensions named {@code names} are mounted. */
    public static GuestLayout withExtensions(Collection<String> names) {
        return new GuestLayout(Objects.requireNonNull(names, "names"));
    }

    /**
     * The layout of an unpacked image or a running guest at {@code paths} whose extensions are
     * mounted already: the gpu extension when {@value #GPU_EXTENSION} is a directory there. For
     * tools that look at a finished tree ({@code nvrc cdi --root}); the boot decides instead.
     */
    public static GuestLayout detect(NvrcPaths paths) {
        return Files.isDirectory(paths.resolve(GPU_EXTENSION)) ? gpuExtension() : baseImage();
    }

    /** The names of the extensions this layout has, sorted. */
    public Set<String> extensions() {
        return extensions;
    }

    /** True when the NVIDIA user space is the gpu guest extension. */
    public boolean isGpuExtension() {
        return extensionRoot != null;
    }

    /** The gpu extension root, empty for a monolithic image. */
    public Optional<String> extensionRoot() {
        return Optional.ofNullable(extensionRoot);
    }

    /** The directory the driver's user-space files are installed under: {@code /} or the extension root. */
    public String driverRoot() {
        return extensionRoot == null ? "/" : extensionRoot;
    }

    /** P(x): the guest path of the NVIDIA component installed at {@code guestPath} in a monolithic image. */
    public String path(String guestPath) {
        Objects.requireNonNull(guestPath, "guestPath");
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute guest path: " + guestPath);
        }
        return extensionRoot == null ? guestPath : extensionRoot + guestPath;
    }

    /** {@code modprobe --dirname} for {@code module}: the extension root, for NVIDIA modules ({@code nvidia*}) only. */
    public Optional<String> modprobeDirname(String module) {
        return extensionRoot != null && module.startsWith("nvidia") ? Optional.of(extensionRoot) : Optional.empty();
    }

    /**
     * The extension's library directory, {@code <root>/usr/lib/<triplet>}: the multiarch directory a
     * monolithic image uses, so that nvidia-ctk and the CDI hooks see the canonical container
     * paths. Empty for a monolithic image.
     */
    public Optional<String> libraryDir() {
        return extensionRoot().map(root -> root + "/usr/lib/" + Arch.current().triplet());
    }

    /** The {@code nvidia-cdi-hook} the extension ships ({@code <root>/bin/nvidia-cdi-hook}); empty for a monolithic image. */
    public Optional<String> cdiHookPath() {
        return extensionRoot().map(root -> root + "/bin/nvidia-cdi-hook");
    }

    /**
     * {@code KATA_ATTESTER_VARIANT} for kata-agent: {@value #ATTESTER_VARIANT_NVIDIA} with the gpu
     * extension (the GPU must be attested, and only that variant produces its evidence); empty
     * otherwise (kata-agent's default).
     */
    public Optional<String> attesterVariant() {
        return extensionRoot == null ? Optional.empty() : Optional.of(ATTESTER_VARIANT_NVIDIA);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestLayout other && extensions.equals(other.extensions);
    }

    @Override
    public int hashCode() {
        return extensions.hashCode();
    }

    @Override
    public String toString() {
        if (extensions.isEmpty()) {
            return "base image";
        }
        return (extensionRoot == null ? "base image" : "gpu extension at " + extensionRoot)
                + ", extensions " + String.join(",", extensions);
    }
}
