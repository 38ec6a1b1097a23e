package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Map;

/** {@code health}: every daemon started so far must still run. */
final class HealthStep implements Step {
    @Override
    public String name() {
        return FabricSteps.HEALTH;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name(), Map.of("check", "every daemon started so far is still running"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.daemons().checkHealthy();
    }
}
