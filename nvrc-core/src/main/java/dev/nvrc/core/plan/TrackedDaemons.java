package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.PortFailures;
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
                throw new BootFailure(PortFailures.daemonEnded(d, status.get()));
            }
        }
    }

}
