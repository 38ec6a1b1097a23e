package dev.nvrc.gpu.cdi;

import dev.nvrc.core.Arch;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the driver's files and device nodes are, as guest paths (the same meaning as
 * {@code nvidia-ctk}'s {@code --driver-root}, {@code --dev-root} and {@code --nvidia-cdi-hook-path}).
 *
 * <p>A file found under a driver root other than {@code /} is mounted from its full path and
 * appears in the container without the root: {@code /run/kata-extensions/gpu/bin/nvidia-smi}
 * becomes {@code /bin/nvidia-smi}. Likewise a device node under a dev root other than {@code /}
 * gets that full path as its {@code hostPath}.
 *
 * @param driverRoot the directory the driver's user-space files are installed under
 * @param devRoot the directory whose {@code dev/} holds the device nodes
 * @param cdiHookPath the {@code nvidia-cdi-hook} program, or {@code null}: look for
 *     {@code usr/bin/nvidia-cdi-hook}, then {@code bin/nvidia-cdi-hook} under the driver root
 * @param arch the architecture whose multiarch library directories hold the driver's libraries
 *     ({@code /usr/lib/aarch64-linux-gnu}); the running JVM's unless set
 */
public record CdiOptions(String driverRoot, String devRoot, String cdiHookPath, Arch arch) {
    public CdiOptions {
        driverRoot = normalize("driver root", driverRoot);
        devRoot = normalize("dev root", devRoot);
        if (cdiHookPath != null) {
            cdiHookPath = normalize("nvidia-cdi-hook path", cdiHookPath);
        }
        Objects.requireNonNull(arch, "arch");
    }

    /** Options for the running JVM's architecture ({@link Arch#current()}). */
    public CdiOptions(String driverRoot, String devRoot, String cdiHookPath) {
        this(driverRoot, devRoot, cdiHookPath, Arch.current());
    }

    /** Everything in its usual place: driver and nodes under {@code /}, hook found there. */
    public static CdiOptions defaults() {
        return new CdiOptions("/", "/", null);
    }

    /**
     * The Kata GPU extension: the driver's files under {@link GuestLayout#GPU_EXTENSION}, device
     * nodes in the guest's {@code /dev}, the hook in the extension's {@code bin/} (upstream's
     * {@code nvidia-ctk} flags).
     */
    public static CdiOptions kataGpuExtension() {
        return of(GuestLayout.gpuExtension());
    }

    /** The options for a guest layout: its driver root, the guest's {@code /dev}, the extension's hook if any. */
    public static CdiOptions of(GuestLayout layout) {
        return layout.isGpuExtension()
                ? new CdiOptions(layout.driverRoot(), "/", layout.path("/bin/nvidia-cdi-hook"))
                : defaults();
    }

    /** The options for the machine at {@code paths}, as {@link GuestLayout#detect} finds its layout. */
    public static CdiOptions detect(NvrcPaths paths) {
        return of(GuestLayout.detect(paths));
    }

    /** These options with another driver root. */
    public CdiOptions withDriverRoot(String root) {
        return new CdiOptions(root, devRoot, cdiHookPath, arch);
    }

    /** These options with another dev root. */
    public CdiOptions withDevRoot(String root) {
        return new CdiOptions(driverRoot, root, cdiHookPath, arch);
    }

    /** These options with an explicit hook path. */
    public CdiOptions withCdiHookPath(String path) {
        return new CdiOptions(driverRoot, devRoot, Objects.requireNonNull(path, "path"), arch);
    }

    /** These options for the libraries of another architecture (an image of another machine). */
    public CdiOptions withArch(Arch other) {
        return new CdiOptions(driverRoot, devRoot, cdiHookPath, other);
    }

    /** The explicit hook path, if one was given. */
    public Optional<String> explicitCdiHookPath() {
        return Optional.ofNullable(cdiHookPath);
    }

    private static String normalize(String what, String path) {
        Objects.requireNonNull(path, what);
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException(what + " must be an absolute guest path: " + path);
        }
        return Path.of(path).normalize().toString();
    }
}
