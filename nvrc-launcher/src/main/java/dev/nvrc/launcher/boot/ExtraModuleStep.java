package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import dev.nvrc.gpu.GpuExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code modprobe <module>} for one module of {@code nvrc.modules}. The list is loaded in order,
 * after the mode's own modules and before {@code kernel.modules_disabled=1}, in every mode. The
 * name was checked by the parser (a module name, never an option or a path); whether the image
 * has the module is modprobe's to say, and its words end up in the failure.
 */
final class ExtraModuleStep implements Step {
    /** The program: the guest's modprobe, as for the NVIDIA modules. */
    static final String MODPROBE = "/sbin/modprobe";
    /** A load that hangs (a firmware request nobody answers) fails the boot instead of stopping it. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final String module;
    private final GpuExtension extension;

    ExtraModuleStep(String module, GpuExtension extension) {
        this.module = Objects.requireNonNull(module, "module");
        this.extension = Objects.requireNonNull(extension, "extension");
    }

    @Override
    public String name() {
        return "modprobe " + module;
    }

    List<String> argv() {
        List<String> argv = new ArrayList<>(List.of(MODPROBE));
        extension.modprobeDirname(module).ifPresent(dir -> argv.addAll(List.of("--dirname", dir)));
        argv.add(module);
        return argv;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name(), argv()).with("from", "nvrc.modules").with("timeout_s", TIMEOUT.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        try {
            context.ports().processes().run(Command.of(name(), argv()), TIMEOUT);
        } catch (BootFailure e) {
            throw new BootFailure("cannot load module " + module + " (nvrc.modules): " + e.getMessage(), e);
        }
    }
}
