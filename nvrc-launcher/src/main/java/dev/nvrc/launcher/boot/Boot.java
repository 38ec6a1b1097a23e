package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Decision;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.plan.Walk;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.plan.BootMachine;
import dev.nvrc.plan.BootOutcome;
import dev.nvrc.plan.BootPlan;
import java.util.List;
import java.util.Objects;

/**
 * The init as PID 1: runs the {@link BootPlan} on a {@link BootMachine}. Every failure ends in
 * the fail path; success ends in execve of kata-agent.
 */
public final class Boot {
    private final BootMachine machine;
    private final BootReport report;
    private final BootRunner runner;
    private final FailPath failPath;

    /** A boot of {@code machine}; runs once. */
    public Boot(BootMachine machine) {
        this.machine = Objects.requireNonNull(machine, "machine");
        this.report = new BootReport(machine.clockMs());
        this.failPath = new FailPath(new BootOutcome(), machine.log()::failureLine, machine.ports().init(), report,
                machine.park());
        this.runner = new BootRunner(report, failPath);
    }

    /**
     * Boots the guest this process is PID 1 of. Never returns.
     *
     * @param mainUptimeMs when {@code main()} started, in ms since the kernel booted
     */
    public static void run(long mainUptimeMs) {
        new Boot(LinuxBootMachine.create()).boot(mainUptimeMs);
        // The Linux adapter's execve never returns normally: there is nothing left to do.
        FailPath.parkForever();
    }

    /**
     * Runs the boot. Returns only when the machine's execve returned, which only a fake does (a
     * return stands for the replaced process); a failure ends in the machine's {@code park}.
     *
     * @return the report of the boot, as written just before the handoff
     */
    public BootReport boot(long mainUptimeMs) {
        machine.uncaughtHandler().accept(runner.uncaughtHandler());
        BootPlan plan = new BootPlan(machine, report, failPath.outcome());
        try {
            report.fact("version", machine.identity().version());
            report.fact("jvm_main_uptime_ms", mainUptimeMs);
            TrackedDaemons daemons = new TrackedDaemons();
            runner.watch(daemons);
            plan.walk(BootPlan.PROC_CMDLINE, new Walk() {
                // Until the command line is read the steps see the defaults (no step reads them).
                private BootContext context = new BootContext(BootConfig.defaults(), machine.paths(), machine.ports(),
                        daemons);
                private boolean first = true;

                @Override
                public void run(List<Step> steps) {
                    runner.runAll(steps, context);
                    if (first) {
                        report.fact("first_step_ms", report.steps().get(0).startMs());
                        first = false;
                    }
                }

                @Override
                public <T> T decide(Decision<T> decision) {
                    return runner.decide(decision, context);
                }

                @Override
                public void configured(BootConfig config) {
                    context = new BootContext(config, machine.paths(), machine.ports(), daemons);
                }
            });
            if (failPath.outcome().state() != BootOutcome.State.HANDED_OFF) {
                failPath.fail("handoff", "the boot ended without handing off");
            }
            return report;
        } catch (BootFailure e) {
            // The steps after the topology could not be built for its decision (NVLink 5 with greedy).
            failPath.fail(runner.currentStep(), e.getMessage());
        } catch (Throwable t) {
            failPath.fail(runner.currentStep(), t);
        }
        throw new IllegalStateException("the fail path returned");
    }

    /** The report, also after a failure. */
    public BootReport report() {
        return report;
    }

    /** The steps run so far, in order, the one that failed included. */
    public List<Step> stepsRun() {
        return runner.stepsRun();
    }
}
