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
 * <p>A daemon that ends with a failure (non-zero exit or a signal) fails the boot:
 * {@link #checkHealthy()} names the first such daemon, and listeners registered with
 * {@link #onFailure} hear of it as it happens, so the boot can fail at once rather than at the
 * next check or at a readiness timeout. A daemon that exits with status 0 has forked into the
 * background, as nvidia-persistenced, nv-hostengine and nv-fabricmanager do by default: that is
 * not a failure (its readiness is still awaited through its marker).
 */
public final class TrackedDaemons {
    /** How many of a dead daemon's last lines a failure message quotes. */
    public static final int QUOTED_LINES = 5;

    private final List<Daemon> daemons = new CopyOnWriteArrayList<>();
    private final List<Consumer<Daemon>> failureListeners = new CopyOnWriteArrayList<>();

    /** Starts tracking {@code daemon}. */
    public void add(Daemon daemon) {
        daemons.add(daemon);
        daemon.onExit(status -> {
            if (!status.success()) {
                failureListeners.forEach(l -> l.accept(daemon));
            }
        });
    }

    /** Every tracked daemon in start order. */
    public List<Daemon> all() {
        return List.copyOf(daemons);
    }

    /** Calls {@code listener} (from the reaper thread) whenever a tracked daemon ends with a failure. */
    public void onFailure(Consumer<Daemon> listener) {
        failureListeners.add(listener);
        for (Daemon d : daemons) {
            if (d.exitStatus().map(s -> !s.success()).orElse(false)) {
                listener.accept(d);
            }
        }
    }

    /** Fails when any tracked daemon has ended with a failure. */
    public void checkHealthy() throws BootFailure {
        for (Daemon d : daemons) {
            Optional<ExitStatus> status = d.exitStatus();
            if (status.isPresent() && !status.get().success()) {
                throw new BootFailure(deathMessage(d, status.get()));
            }
        }
    }

    /** "nvidia-persistenced (pid 42) ended during the boot: exit code 1; last lines: a | b". */
    public static String deathMessage(Daemon d, ExitStatus status) {
        return d.name() + " (pid " + d.pid() + ") ended during the boot: " + status + lastLines(d);
    }

    /**
     * "nvidia-persistenced (pid 42) ended before logging "M": exit code 0; last lines: a | b": the
     * readiness wait's failure for a daemon that ended, with any status, before its marker.
     */
    public static String endedBeforeMarker(Daemon d, ExitStatus status, String marker) {
        return d.name() + " (pid " + d.pid() + ") ended before logging \"" + marker + "\": " + status + lastLines(d);
    }

    /**
     * {@code "; last lines: a | b"} with the daemon's last {@value #QUOTED_LINES} non-blank lines
     * (stdout, stderr and syslog, oldest first), or nothing when it said nothing.
     */
    public static String lastLines(Daemon d) {
        return joined("; last lines: ", d.recentLines(QUOTED_LINES * 2), QUOTED_LINES);
    }

    /**
     * {@code prefix} and the last {@code max} non-blank {@code lines}, each stripped, joined with
     * {@code " | "}; empty when none is left. Blank lines are dropped so that a message never ends
     * in a stray separator.
     */
    public static String joined(String prefix, List<String> lines, int max) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (line != null && !line.isBlank()) {
                kept.add(line.strip());
            }
        }
        if (kept.isEmpty()) {
            return "";
        }
        return prefix + String.join(" | ", kept.subList(Math.max(0, kept.size() - max), kept.size()));
    }
}
