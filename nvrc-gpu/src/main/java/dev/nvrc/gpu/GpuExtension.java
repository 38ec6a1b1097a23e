package dev.nvrc.gpu;

import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.util.Objects;

/**
 * The Kata "gpu" guest extension: the NVIDIA userspace and kernel modules shipped as a separate
 * dm-verity image and mounted at {@value #GUEST_ROOT} (composable VM images).
 *
 * <p>When the extension is present its programs replace the base image's: {@link #program}
 * prefixes a guest path with {@value #GUEST_ROOT}, and modprobe looks for the {@code nvidia*}
 * modules below it ({@code --dirname}). Presence is checked on every call, not once, so a step
 * built before the extension was mounted still runs the extension's programs.
 */
public final class GpuExtension {
    /** Where the gpu extension is mounted in the guest. */
    public static final String GUEST_ROOT = "/run/kata-extensions/gpu";

    private final NvrcPaths paths;

    /** The gpu extension of the machine at {@code paths}. */
    public GpuExtension(NvrcPaths paths) {
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    /** True when {@value #GUEST_ROOT} is a directory. */
    public boolean present() {
        return Files.isDirectory(paths.resolve(GUEST_ROOT));
    }

    /**
     * Where modprobe must look for {@code module} ({@code --dirname}): the extension, for an
     * {@code nvidia*} module while the extension is present (upstream's rule); otherwise empty,
     * and modprobe reads the guest's own {@code /lib/modules}.
     */
    public java.util.Optional<String> modprobeDirname(String module) {
        return module.startsWith("nvidia") && present() ? java.util.Optional.of(GUEST_ROOT) : java.util.Optional.empty();
    }

    /** The guest path to execute for {@code guestPath}: under the extension when it is present. */
    public String program(String guestPath) {
        return present() ? GUEST_ROOT + guestPath : guestPath;
    }
}
