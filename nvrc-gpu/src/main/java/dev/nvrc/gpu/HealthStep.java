package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Map;

/** Fails the boot when any daemon started so far has ended, naming it, its status and last lines. */
final class HealthStep implements Step {
    static final String NAME = "health";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(NAME, Map.of("check", "every daemon started so far still runs"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.daemons().checkHealthy();
    }
}
