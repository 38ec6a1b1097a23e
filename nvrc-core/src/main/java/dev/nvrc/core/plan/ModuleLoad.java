package dev.nvrc.core.plan;

import dev.nvrc.core.GuestLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code modprobe <module> [params]}: loading a kernel module is a {@link ProgramStep} named
 * {@code modprobe <module>}. NVIDIA modules are looked for under the gpu extension when the
 * layout has one ({@code --dirname}); in-tree modules never are.
 *
 * <p>The NVIDIA driver explains a failed load in the kernel log ({@code NVRM: No NVIDIA GPU
 * found.}), while modprobe says only {@code No such device}: a failed NVIDIA module load quotes the
 * driver's {@value #NVRM} lines of that moment, and when it found no GPU, asks whether one is
 * passed through.
 */
public final class ModuleLoad {
    /** The program; never taken from the gpu extension. */
    public static final String MODPROBE = "/sbin/modprobe";
    /**
     * How long a module load may take. Generous on purpose: loading the NVIDIA driver and
     * initialising 16 GPUs' firmware is slow on a loaded host, and a load that is merely slow must
     * not cost the VM; the limit exists so that a stuck load (a firmware request that never
     * completes) ends the boot with a message instead of hanging it.
     */
    public static final Duration TIMEOUT = Duration.ofSeconds(180);

    /** What the NVIDIA driver prefixes its kernel log lines with. */
    public static final String NVRM = "NVRM:";
    /** The driver's words when the VM has no NVIDIA GPU. */
    static final String NO_GPU = "No NVIDIA GPU found";

    private ModuleLoad() {}

    /** The step loading {@code module} with {@code params}, under {@code layout}. */
    public static ProgramStep step(String module, List<String> params, GuestLayout layout) {
        List<String> argv = new ArrayList<>(List.of(MODPROBE));
        layout.modprobeDirname(module).ifPresent(dir -> argv.addAll(List.of("--dirname", dir)));
        argv.add(module);
        argv.addAll(params);
        ProgramStep step = new ProgramStep("modprobe " + module, "modprobe", argv, TIMEOUT);
        return module.startsWith("nvidia") ? step.explainedBy(List.of(NVRM), ModuleLoad::noGpuHint) : step;
    }

    /** Adds the likely cause when the driver found no GPU. */
    static String noGpuHint(String message) {
        return message.contains(NO_GPU)
                ? message + "; is a GPU passed through to this VM (a vfio-pci device the driver can bind)?"
                : message;
    }
}
