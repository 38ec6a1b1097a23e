package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Map;

/** The last check before the handoff: every daemon started must still be healthy. */
record HealthStep() implements Step {
    @Override
    public String name() {
        return "health";
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name(), Map.of("check", "every tracked daemon still runs or has forked with status 0"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.daemons().checkHealthy();
    }
}
