package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The daemons the init started, in start order.
 *
 * <p>A daemon must run until the handoff: {@link #checkAllRunning()} fails naming the first one
 * that ended with a failure, and listeners registered with {@link #onAnyExit} hear of every exit
 * as it happens, so the boot can fail at once rather than at the next check.
 *
 * <p>An exit with code 0 is not a failure but a detach: nvidia-persistenced, nv-hostengine and
 * nv-fabricmanager (with its default {@code DAEMONIZE=1}) fork the real daemon and the process
 * nvrc started exits 0 once that daemon is ready (non-zero when it failed to start). Upstream's
 * health check accepts exit 0 for the same reason.
 */
public final class TrackedDaemons {
    /** How many of a dead daemon's last lines a failure message quotes. */
    public static final int QUOTED_LINES = 5;

    private final List<Daemon> daemons = new CopyOnWriteArrayList<>();
    private final List<Consumer<Daemon>> exitListeners = new CopyOnWriteArrayList<>();

    /** Starts tracking {@code daemon}. */
    public void add(Daemon daemon) {
        daemons.add(daemon);
        daemon.onExit(status -> exitListeners.forEach(l -> l.accept(daemon)));
    }

    /** Every tracked daemon in start order. */
    public List<Daemon> all() {
        return List.copyOf(daemons);
    }

    /** Calls {@code listener} (from the reaper thread) whenever a tracked daemon ends. */
    public void onAnyExit(Consumer<Daemon> listener) {
        exitListeners.add(listener);
        for (Daemon d : daemons) {
            if (d.exitStatus().isPresent()) {
                listener.accept(d);
            }
        }
    }

    /**
     * Fails when any tracked daemon has ended with a non-zero exit code or a signal; running or
     * detached (exit 0) is fine.
     */
    public void checkAllRunning() throws BootFailure {
        for (Daemon d : daemons) {
            Optional<ExitStatus> status = d.exitStatus();
            if (status.isPresent() && !status.get().success()) {
                throw new BootFailure(deathMessage(d, status.get()));
            }
        }
    }

    /** "nvidia-persistenced (pid 42) exited: exit code 1; last lines: ..." */
    public static String deathMessage(Daemon d, ExitStatus status) {
        StringBuilder sb = new StringBuilder()
                .append(d.name()).append(" (pid ").append(d.pid()).append(") ended during the boot: ").append(status);
        List<String> lines = new ArrayList<>(d.recentLines(QUOTED_LINES));
        if (!lines.isEmpty()) {
            sb.append("; last lines: ").append(String.join(" | ", lines));
        }
        return sb.toString();
    }
}
