package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Decided;
import dev.nvrc.core.plan.Decision;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.port.PortFailures;
import dev.nvrc.core.report.BootReport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs steps in order, timing each into the boot report. A step's {@link BootFailure}, an
 * exception escaping a step, an exception in any other thread and a tracked daemon's failure all
 * end in the {@link FailPath}, naming the step that was running. Before each step the runner
 * stops when the outcome is decided already (a daemon died on the reaper thread), so no step
 * starts after a failure.
 */
public final class BootRunner {
    private final BootReport report;
    private final FailPath failPath;
    private volatile String currentStep = "start";
    private final List<Step> stepsRun = new CopyOnWriteArrayList<>();

    /** A runner recording into {@code report} and failing through {@code failPath}. */
    public BootRunner(BootReport report, FailPath failPath) {
        this.report = report;
        this.failPath = failPath;
    }

    /** The handler that routes an exception escaping any thread to the fail path. */
    public Thread.UncaughtExceptionHandler uncaughtHandler() {
        return (thread, t) -> failPath.fail(currentStep, t);
    }

    /** Fails the boot at once when a tracked daemon fails, whatever step is running. */
    public void watch(TrackedDaemons daemons) {
        daemons.onFailure(d -> failPath.fail(currentStep,
                PortFailures.daemonEnded(d, d.exitStatus().orElseThrow())));
    }

    /** The step running now (for failures reported from other threads). */
    public String currentStep() {
        return currentStep;
    }

    /** The steps started so far, in order (the one that failed included). */
    public List<Step> stepsRun() {
        return List.copyOf(stepsRun);
    }

    /** Runs every step; returns only if all succeeded. */
    public void runAll(List<Step> steps, BootContext context) {
        for (Step step : steps) {
            run(step, context);
        }
    }

    /**
     * Decides and applies {@code decision}, timed and listed as a step; returns what it decided
     * only if both succeeded and no failure was decided meanwhile.
     */
    public <T> T decide(Decision<T> decision, BootContext context) {
        failPath.stopIfDecided();
        currentStep = decision.name();
        long start = report.nowMs();
        T decided = null;
        try {
            decided = decision.decide(context);
            stepsRun.add(new Decided<>(decision, decided));
            decision.apply(decided, context);
        } catch (BootFailure e) {
            recordUndecided(decision, decided);
            report.step(decision.name(), start, report.nowMs() - start, false);
            failPath.fail(decision.name(), e.getMessage());
        } catch (RuntimeException | Error e) {
            recordUndecided(decision, decided);
            report.step(decision.name(), start, report.nowMs() - start, false);
            failPath.fail(decision.name(), e);
        }
        report.step(decision.name(), start, report.nowMs() - start, true);
        return decided;
    }

    /** A decision that failed still counts among the steps run, as a step that failed does. */
    private void recordUndecided(Decision<?> decision, Object decided) {
        if (decided != null) {
            return; // decided, then failed to apply: listed already
        }
        stepsRun.add(new Undecided(decision.name()));
    }

    /** A decision that failed, as the steps run list it. */
    private record Undecided(String name) implements Step {
        @Override
        public PlanEntry describe() {
            return PlanEntry.of(name, java.util.Map.of("decided", "nothing: it failed"));
        }

        @Override
        public void run(BootContext context) {
            throw new IllegalStateException(name + " failed already");
        }
    }

    /** Runs one step; returns only if it succeeded and no failure was decided meanwhile. */
    public void run(Step step, BootContext context) {
        failPath.stopIfDecided();
        currentStep = step.name();
        stepsRun.add(step);
        long start = report.nowMs();
        try {
            step.run(context);
        } catch (BootFailure e) {
            report.step(step.name(), start, report.nowMs() - start, false);
            failPath.fail(step.name(), e.getMessage());
        } catch (RuntimeException | Error e) {
            report.step(step.name(), start, report.nowMs() - start, false);
            failPath.fail(step.name(), e);
        }
        report.step(step.name(), start, report.nowMs() - start, true);
    }
}
