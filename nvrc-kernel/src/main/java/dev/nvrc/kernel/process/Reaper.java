package dev.nvrc.kernel.process;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that collects children: it blocks in {@code waitpid(-1, &status, 0)}, hands the
 * status of a child started here to its {@link ChildProcess}, and reaps any other child silently
 * (as PID 1 that is an orphan the kernel re-parented to us, e.g. a daemon's double-forked helper).
 *
 * <p>One per process, because {@code waitpid(-1)} takes whatever child has ended. Children are
 * registered under the same lock that the spawn holds, so an exit that is collected before
 * posix_spawn has even returned still finds its owner.
 */
final class Reaper {
    private static final int ECHILD = 10;
    private static final int EINTR = 4;
    private static final Reaper INSTANCE = new Reaper();

    private final Object lock = new Object();
    private final Map<Long, ChildProcess> children = new HashMap<>();
    /**
     * The last orphans reaped, by pid: a forked daemon that {@link #follow} is asked for may have
     * ended (and been reaped) between its launcher's exit and the call.
     */
    private final Map<Long, ExitStatus> recentOrphans = new RecentOrphans();
    private static final int ORPHANS_KEPT = 64;

    /** Insertion-ordered, the eldest dropped past {@link #ORPHANS_KEPT}. Guarded by the reaper's lock. */
    private static final class RecentOrphans extends java.util.LinkedHashMap<Long, ExitStatus> {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ExitStatus> eldest) {
            return size() > ORPHANS_KEPT;
        }
    }
    private final AtomicLong othersReaped = new AtomicLong();
    private long spawns;
    private Thread thread;

    private Reaper() {}

    static Reaper instance() {
        return INSTANCE;
    }

    /** What starts a process and returns its pid, or throws. */
    @FunctionalInterface
    interface SpawnCall {
        long spawn() throws BootFailure;
    }

    /** Starts a child with {@code call} and tracks it under {@code name}. */
    ChildProcess spawn(String name, SpawnCall call) throws BootFailure {
        synchronized (lock) {
            startThread();
            long pid = call.spawn();
            ChildProcess child = new ChildProcess(name, pid);
            children.put(pid, child);
            spawns++;
            lock.notifyAll();
            return child;
        }
    }

    /**
     * Follows {@code pid}, a process started here did not start but whose exit this reaper will
     * collect (a daemon's forked child, re-parented to PID 1 when its parent exited), under
     * {@code name}. If it was reaped already, the returned process has its status at once.
     */
    ChildProcess follow(String name, long pid) {
        synchronized (lock) {
            ChildProcess child = new ChildProcess(name, pid);
            ExitStatus already = recentOrphans.remove(pid);
            if (already != null) {
                child.exited(already);
                return child;
            }
            children.put(pid, child);
            return child;
        }
    }

    /** Children reaped that were not started here (orphans adopted by PID 1). */
    long othersReaped() {
        return othersReaped.get();
    }

    /** Children started here that have not been reaped yet. */
    int running() {
        synchronized (lock) {
            return children.size();
        }
    }

    private void startThread() {
        if (thread == null) {
            thread = new Thread(this::loop, "nvrc-reaper");
            thread.setDaemon(true);
            thread.start();
        }
    }

    private void loop() {
        LibC libc = Native.libc();
        int[] status = new int[1];
        while (true) {
            long seen;
            synchronized (lock) {
                seen = spawns;
            }
            int pid = libc.waitpid(-1, status, 0);
            if (pid > 0) {
                dispatch(pid, WaitStatus.decode(status[0]));
                continue;
            }
            int errno = Native.errno();
            if (errno == EINTR) {
                continue;
            }
            if (errno != ECHILD) {
                KernelLog.log(LogLevel.ERROR, "reaper: waitpid failed with errno " + errno);
            }
            // No child at all: sleep until the next spawn (orphans only come from our own children).
            synchronized (lock) {
                while (spawns == seen) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        // The reaper runs for the life of the process; keep going.
                    }
                }
            }
        }
    }

    private void dispatch(long pid, ExitStatus status) {
        ChildProcess child;
        synchronized (lock) {
            child = children.remove(pid);
            if (child == null) {
                recentOrphans.put(pid, status);
            }
        }
        if (child != null) {
            child.exited(status);
        } else {
            othersReaped.incrementAndGet();
            KernelLog.log(LogLevel.TRACE, "reaped pid " + pid + " that was not started by nvrc (" + status + ")");
        }
    }
}
