package dev.nvrc.launcher.boot;

import dev.nvrc.core.port.InitControl;
import dev.nvrc.core.report.BootReport;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Where every failure ends: exactly one {@code nvrc: FAILED <step>: <reason>} line in the kernel
 * log (the console before /dev exists), then sync and power-off. Whatever thread fails first
 * wins; any later failure is silent. {@link #fail} never returns: PID 1 must neither exit (a
 * kernel panic) nor carry on after a failure.
 */
public final class FailPath {
    private final AtomicBoolean failed = new AtomicBoolean();
    private final Consumer<String> failureLine;
    private final InitControl init;
    private final BootReport report;
    private final Runnable afterPowerOff;

    /**
     * @param failureLine writes one line ({@code FAILED <step>: <reason>}) to the kernel log
     *     whatever the log level; the kernel-log writer adds the {@code nvrc: } prefix
     * @param init powers off
     * @param report records the failure
     * @param afterPowerOff runs if power-off returns; production parks the thread forever, tests
     *     throw to unwind
     */
    public FailPath(Consumer<String> failureLine, InitControl init, BootReport report, Runnable afterPowerOff) {
        this.failureLine = failureLine;
        this.init = init;
        this.report = report;
        this.afterPowerOff = afterPowerOff;
    }

    /** Fails the boot in {@code step}. Never returns normally. */
    public void fail(String step, String reason) {
        if (failed.compareAndSet(false, true)) {
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
        afterPowerOff.run();
        throw new IllegalStateException("the fail path returned after power-off");
    }

    /** Fails for a throwable that escaped a step or a thread, naming its type. */
    public void fail(String step, Throwable t) {
        String message = t.getMessage();
        fail(step, "unexpected " + t.getClass().getName() + (message == null ? "" : ": " + message)
                + at(t));
    }

    /** True once a failure has been reported. */
    public boolean hasFailed() {
        return failed.get();
    }

    /** Parks the calling thread forever: what production does if power-off ever returns. */
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
