package dev.nvrc.core.system;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.ModuleLoad;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.ProgramStep;
import dev.nvrc.core.plan.Step;
import java.util.List;

/**
 * {@code modprobe <module>} for one module of {@code nvrc.modules}: core's {@link ModuleLoad}
 * (same program, limit and {@code --dirname} rule as the mode's modules) whose failure says it
 * came from {@code nvrc.modules}. The list is loaded in order, after the mode's own steps and
 * before {@code kernel.modules_disabled=1}, in every mode. The name was checked by the parser (a
 * module name, never an option or a path); whether the image has the module is modprobe's to
 * say, and its words end up in the failure.
 */
public final class ExtraModuleStep implements Step {
    private final String module;
    private final ProgramStep load;

    public ExtraModuleStep(String module, GuestLayout layout) {
        this.module = module;
        this.load = ModuleLoad.step(module, List.of(), layout).with("from", "nvrc.modules");
    }

    @Override
    public String name() {
        return load.name();
    }

    @Override
    public PlanEntry describe() {
        return load.describe();
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        try {
            load.run(context);
        } catch (BootFailure e) {
            throw new BootFailure("cannot load module " + module + " (nvrc.modules): " + e.getMessage(), e);
        }
    }
}
