package dev.nvrc.launcher.boot;

import dev.nvrc.core.port.InitControl;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.plan.BootOutcome;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where every failure ends: exactly one {@code nvrc: FAILED <step>: <reason>} line in the kernel
 * log (the console before /dev exists), then sync and power-off.
 *
 * <p>A failure claims the {@link BootOutcome}: whatever thread claims it first wins; a failure
 * that finds the outcome decided (an earlier failure, or the handoff under way) is silent. Either
 * way {@link #fail} never returns: the calling thread ends in {@code park}, because PID 1 must
 * neither exit (a kernel panic) nor carry on after a failure, and after the handoff's claim only
 * execve may happen.
 */
public final class FailPath {
    private final BootOutcome outcome;
    private final Consumer<String> failureLine;
    private final InitControl init;
    private final BootReport report;
    private final Runnable park;

    /**
     * @param outcome the decision this path claims; the handoff claims the same one
     * @param failureLine writes one line ({@code FAILED <step>: <reason>}) to the kernel log
     *     whatever the log level; the kernel-log writer adds the {@code nvrc: } prefix
     * @param init powers off
     * @param report records the failure
     * @param park what a thread does once its part is over (after a power-off that returned, or
     *     after losing the outcome): production parks forever, tests throw to unwind
     */
    public FailPath(BootOutcome outcome, Consumer<String> failureLine, InitControl init, BootReport report,
            Runnable park) {
        this.outcome = Objects.requireNonNull(outcome, "outcome");
        this.failureLine = failureLine;
        this.init = init;
        this.report = report;
        this.park = park;
    }

    /** Fails the boot in {@code step}. Never returns normally. */
    public void fail(String step, String reason) {
        if (outcome.claimFailure()) {
            powerOff(step, reason);
        }
        park();
    }

    private void powerOff(String step, String reason) {
        String oneLine = reason == null || reason.isBlank() ? "unknown reason" : reason.replaceAll("\\s*\\R\\s*", " | ");
        if (oneLine.startsWith(step + ": ")) {
            oneLine = oneLine.substring(step.length() + 2); // the adapter named the step already
        }
        report.failed(step, oneLine);
        try {
            failureLine.accept("FAILED " + step + ": " + oneLine);
        } finally {
            init.powerOff();
        }
    }

    /** Fails for a throwable that escaped a step or a thread, naming its type. */
    public void fail(String step, Throwable t) {
        String message = t.getMessage();
        fail(step, "unexpected " + t.getClass().getName() + (message == null ? "" : ": " + message)
                + at(t));
    }

    /**
     * Ends the calling thread's part when the outcome is decided: the step runner calls it
     * between steps, so that no step starts after a failure was claimed on another thread.
     */
    public void stopIfDecided() {
        if (outcome.decided()) {
            park();
        }
    }

    /** Ends the calling thread's part. Never returns normally. */
    public void park() {
        park.run();
        throw new IllegalStateException("the fail path returned after power-off");
    }

    /** True once a failure has been claimed. */
    public boolean hasFailed() {
        return outcome.state() == BootOutcome.State.FAILED;
    }

    /** The decision this path claims. */
    public BootOutcome outcome() {
        return outcome;
    }

    /** Parks the calling thread forever: what production does when its part is over. */
    public static void parkForever() {
        while (true) {
            java.util.concurrent.locks.LockSupport.park();
        }
    }

    private static String at(Throwable t) {
        StackTraceElement[] trace = t.getStackTrace();
        return trace.length == 0 ? "" : " at " + trace[0];
    }
}
