package dev.nvrc.core.system;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Map;

/** Remounts {@code /} read-only: nothing in the guest may change the image after the boot. */
public record ReadOnlyRootStep() implements Step {
    @Override
    public String name() {
        return "read-only root";
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name(), Map.of("target", "/", "flags", "MS_REMOUNT|MS_RDONLY|MS_NOSUID|MS_NODEV"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().mounts().remountReadOnly("/");
    }
}
