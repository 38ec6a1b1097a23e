package dev.nvrc.fabric;

import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the fabric's programs and shipped configuration files are: in the base image, or inside
 * the {@code gpu} guest extension mounted at {@value #GPU_EXTENSION}.
 *
 * <p>With a composable image the NVIDIA userspace lives in the extension, so
 * {@link #path(String) P(x)} prefixes the extension root to {@code nv-fabricmanager},
 * {@code nvlsm}, {@code fabricmanager.cfg} and {@code nvlsm.conf}. {@code /sbin/modprobe} and
 * everything under {@code /run} stay where they are; only NVIDIA modules ({@code nvidia*}) get
 * {@code modprobe --dirname <extension>}, the in-tree InfiniBand modules never do.
 */
public final class FabricLayout {
    /** The mount point of the {@code gpu} guest extension. */
    public static final String GPU_EXTENSION = "/run/kata-extensions/gpu";

    private final String extensionRoot;

    private FabricLayout(String extensionRoot) {
        this.extensionRoot = extensionRoot;
    }

    /** A monolithic image: every path as it is. */
    public static FabricLayout baseImage() {
        return new FabricLayout(null);
    }

    /** A composable image whose NVIDIA userspace is the extension at {@value #GPU_EXTENSION}. */
    public static FabricLayout gpuExtension() {
        return new FabricLayout(GPU_EXTENSION);
    }

    /**
     * The layout of the machine at {@code paths}: the extension when {@value #GPU_EXTENSION} is a
     * directory there. Call it after the guest extensions are mounted.
     */
    public static FabricLayout detect(NvrcPaths paths) {
        return Files.isDirectory(paths.resolve(GPU_EXTENSION)) ? gpuExtension() : baseImage();
    }

    /** The extension root, empty for a monolithic image. */
    public Optional<String> extensionRoot() {
        return Optional.ofNullable(extensionRoot);
    }

    /** P(x): the guest path of the NVIDIA component installed at {@code guestPath} in a monolithic image. */
    public String path(String guestPath) {
        Objects.requireNonNull(guestPath, "guestPath");
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute guest path: " + guestPath);
        }
        return extensionRoot == null ? guestPath : extensionRoot + guestPath;
    }

    /** P({@code /bin/nv-fabricmanager}). */
    public String fabricManager() {
        return path("/bin/nv-fabricmanager");
    }

    /** P({@code /usr/share/nvidia/nvswitch/fabricmanager.cfg}): the config the image ships. */
    public String shippedFabricManagerConfig() {
        return path("/usr/share/nvidia/nvswitch/fabricmanager.cfg");
    }

    /** P({@code /sbin/nvlsm}). */
    public String nvlsm() {
        return path("/sbin/nvlsm");
    }

    /** P({@code /usr/share/nvidia/nvlsm/nvlsm.conf}). */
    public String nvlsmConfig() {
        return path("/usr/share/nvidia/nvlsm/nvlsm.conf");
    }

    /** The {@code modprobe --dirname} for {@code module}: the extension root for NVIDIA modules only. */
    public Optional<String> modprobeDirname(String module) {
        return extensionRoot != null && module.startsWith("nvidia") ? Optional.of(extensionRoot) : Optional.empty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FabricLayout other && Objects.equals(extensionRoot, other.extensionRoot);
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
