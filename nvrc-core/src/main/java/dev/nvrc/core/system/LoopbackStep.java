package dev.nvrc.core.system;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Map;

/** Brings {@code lo} up: Fabric Manager and DCGM listen on 127.0.0.1. */
public record LoopbackStep() implements Step {
    @Override
    public String name() {
        return "loopback";
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name(), Map.of("interface", "lo", "flags", "IFF_UP|IFF_RUNNING"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().network().loopbackUp();
    }
}
