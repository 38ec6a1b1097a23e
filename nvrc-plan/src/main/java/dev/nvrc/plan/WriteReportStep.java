package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.report.BootReport;
import java.util.Map;

/**
 * Writes the boot report before the root becomes read-only. The report marks the boot as handed
 * off: the steps after it (read-only root, lockdown, handoff) either succeed or power the VM off,
 * and their failure lines say so in the kernel log.
 */
record WriteReportStep(BootReport report) implements Step {
    @Override
    public String name() {
        return "boot report";
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name(), Map.of("path", BootReportFile.PATH, "mode", "0444"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        for (var d : context.daemons().serving()) {
            var since = context.daemons().readySince(d.name());
            if (since.isPresent()) {
                report.daemon(d.name(), d.pid(), report.nowMs() - since.get().toMillis());
            } else {
                report.daemon(d.name(), d.pid());
            }
        }
        report.handedOff();
        BootReportFile.write(report, context.paths());
    }
}
