package dev.nvrc.kernel.process;

import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.kernel.libc.Native;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A started child; its exit status is set by the {@link Reaper}. */
public final class ChildProcess {
    /** SIGKILL. */
    public static final int SIGKILL = 9;
    /** SIGTERM. */
    public static final int SIGTERM = 15;

    private final String name;
    private final long pid;
    private final List<Consumer<ExitStatus>> listeners = new ArrayList<>();
    private ExitStatus status;

    ChildProcess(String name, long pid) {
        this.name = name;
        this.pid = pid;
    }

    /** The name given at start. */
    public String name() {
        return name;
    }

    /** The process id. */
    public long pid() {
        return pid;
    }

    /** How the child ended, or empty while it runs. */
    public synchronized Optional<ExitStatus> exitStatus() {
        return Optional.ofNullable(status);
    }

    /** Calls {@code listener} once with the exit status (at once if the child has ended). */
    public void onExit(Consumer<ExitStatus> listener) {
        ExitStatus now;
        synchronized (this) {
            now = status;
            if (now == null) {
                listeners.add(listener);
                return;
            }
        }
        listener.accept(now);
    }

    /** Waits up to {@code timeout} for the child to end; empty when it still runs. */
    public Optional<ExitStatus> awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (status == null) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return Optional.of(status);
        }
    }

    /** Sends {@code signal} unless the child has been reaped already (its pid may be reused). */
    public synchronized boolean kill(int signal) {
        return status == null && Native.libc().kill((int) pid, signal) == 0;
    }

    /** Called by the reaper, once. */
    void exited(ExitStatus exit) {
        List<Consumer<ExitStatus>> toCall;
        synchronized (this) {
            status = exit;
            toCall = List.copyOf(listeners);
            listeners.clear();
            notifyAll();
        }
        for (Consumer<ExitStatus> l : toCall) {
            try {
                l.accept(exit);
            } catch (RuntimeException e) {
                // A listener's failure must not kill the reaper.
                dev.nvrc.kernel.log.KernelLog.log(dev.nvrc.core.cmdline.LogLevel.WARN,
                        "exit listener of " + name + " (pid " + pid + ") failed", e);
            }
        }
    }

    @Override
    public String toString() {
        return name + " (pid " + pid + ")";
    }
}
