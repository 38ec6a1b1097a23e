package dev.nvrc.core;

import java.nio.file.Files;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the NVIDIA user space and modules are in the guest: in the base image, or in the Kata
 * {@code gpu} guest extension mounted at {@value #GPU_EXTENSION} (composable VM images). Decided
 * once per boot, after the topology, and handed to every step builder, so that every program,
 * config file, modprobe directory and CDI driver root agrees.
 *
 * <p>{@link #path P(x)} is the guest path of the NVIDIA component a monolithic image installs at
 * {@code x}: {@code x} itself, or the extension root followed by {@code x}. What is not NVIDIA's
 * ({@code /sbin/modprobe}, everything under {@code /run}, in-tree modules) stays where it is.
 */
public final class GuestLayout {
    /** The mount point of the {@code gpu} guest extension. */
    public static final String GPU_EXTENSION = "/run/kata-extensions/gpu";

    private final String extensionRoot;

    private GuestLayout(String extensionRoot) {
        this.extensionRoot = extensionRoot;
    }

    /** A monolithic image: every path as it is. */
    public static GuestLayout baseImage() {
        return new GuestLayout(null);
    }

    /** A composable image whose NVIDIA user space is the extension at {@value #GPU_EXTENSION}. */
    public static GuestLayout gpuExtension() {
        return new GuestLayout(GPU_EXTENSION);
    }

    /** The layout of the machine at {@code paths}: the extension when {@value #GPU_EXTENSION} is a directory there. */
    public static GuestLayout detect(NvrcPaths paths) {
        return Files.isDirectory(paths.resolve(GPU_EXTENSION)) ? gpuExtension() : baseImage();
    }

    /** True for the gpu guest extension. */
    public boolean isGpuExtension() {
        return extensionRoot != null;
    }

    /** The extension root, empty for a monolithic image. */
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

    @Override
    public boolean equals(Object o) {
        return o instanceof GuestLayout other && Objects.equals(extensionRoot, other.extensionRoot);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(extensionRoot);
    }

    @Override
    public String toString() {
        return extensionRoot == null ? "base image" : "gpu extension at " + extensionRoot;
    }
}
