package dev.nvrc.core.system;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.report.BootReport;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code module lockdown}: {@code kernel.modules_disabled=1}, after the last module of the boot,
 * so the workload cannot load one. A kernel built without module support ({@code CONFIG_MODULES}
 * off) has no such key and can load none anyway: the step then records "not applicable" and the
 * boot goes on (upstream PR #221). Any other failure to write it stops the boot.
 */
public final class ModuleLockdownStep implements Step {
    static final String NAME = "module lockdown";
    static final String KEY = "kernel.modules_disabled";
    /** The boot report's fact: {@value #LOCKED} or {@value #NOT_APPLICABLE}. */
    static final String FACT = "module_lockdown";
    static final String LOCKED = "locked";
    static final String NOT_APPLICABLE = "not applicable: the kernel has no module support";

    private final BootReport report;

    public ModuleLockdownStep(BootReport report) {
        this.report = report;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("key", KEY);
        d.put("value", "1");
        d.put("if_absent", NOT_APPLICABLE);
        return PlanEntry.of(NAME, d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        boolean written = context.ports().sysctl().writeIfPresent(KEY, "1");
        report.fact(FACT, written ? LOCKED : NOT_APPLICABLE);
    }
}
