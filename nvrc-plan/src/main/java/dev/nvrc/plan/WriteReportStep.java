package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.report.BootReport;
import java.util.Map;
import java.util.OptionalLong;

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
            // The daemons note readiness on their own monotonic clock: as the report's, it is now minus the age.
            var since = context.daemons().readySince(d.name());
            report.daemon(d.name(), d.pid(), since.isPresent()
                    ? OptionalLong.of(report.nowMs() - since.get().toMillis()) : OptionalLong.empty());
        }
        report.handedOff();
        BootReportFile.write(report, context.paths());
    }
}
