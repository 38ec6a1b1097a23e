package dev.nvrc.core.system;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Map;

/** Writes one kernel parameter under /proc/sys. */
public record SysctlStep(String name, String key, String value) implements Step {
    /** A step named after its key. */
    public static SysctlStep of(String key, String value) {
        return new SysctlStep("sysctl " + key, key, value);
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name, Map.of("key", key, "value", value));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().sysctl().write(key, value);
    }
}
