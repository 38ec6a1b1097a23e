package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.PortFailures;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The processes the init follows until the handoff, in the order it began following them.
 *
 * <p>Two kinds, because NVIDIA's daemons do not all stay the process the init started:
 * <ul>
 *   <li>a <em>daemon</em> ({@link #add}) is the process that serves: the one the init started when
 *       it stays in the foreground (Fabric Manager with {@code DAEMONIZE=0}, {@code nv-hostengine
 *       -n}, dcgm-exporter, nvlsm), or the one a launcher forked (nvidia-persistenced's child,
 *       followed by its pid file). It must not end before the handoff: an end with any status,
 *       0 included, is a failure;
 *   <li>a <em>launcher</em> ({@link #addLauncher}) is a started program that forks the daemon and
 *       exits, 0 once the daemon is ready, non-zero when it failed (nvidia-persistenced always
 *       does). Only a failing exit is a failure.
 * </ul>
 * {@link #checkHealthy()} names the first follower that failed, and listeners registered with
 * {@link #onFailure} hear of it as it happens, so the boot fails at once rather than at the next
 * check or at a readiness timeout.
 */
public final class TrackedDaemons {
    private record Tracked(Daemon daemon, boolean launcher) {
        boolean failed(ExitStatus status) {
            return !launcher || !status.success();
        }
    }

    private final List<Tracked> tracked = new CopyOnWriteArrayList<>();
    private final Map<String, Long> readyNanos = new ConcurrentHashMap<>();
    private final List<Consumer<Daemon>> failureListeners = new CopyOnWriteArrayList<>();

    /**
     * Notes that the readiness of the daemon named {@code name} was seen now (its marker arrived,
     * or its settle time passed): the boot report gives the time, so that the wait for the marker
     * can be told apart from what the step does after it (a launcher's exit, a pid file).
     */
    public void ready(String name) {
        readyNanos.putIfAbsent(name, System.nanoTime());
    }

    /** How long ago {@link #ready} was noted for {@code name}; empty when it was not. */
    public Optional<Duration> readySince(String name) {
        Long at = readyNanos.get(name);
        return at == null ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - at));
    }

    /** Follows {@code daemon}, the process that serves: any end before the handoff is a failure. */
    public void add(Daemon daemon) {
        follow(new Tracked(daemon, false));
    }

    /**
     * Follows {@code launcher}, a program that forks the daemon and exits: only a non-zero exit
     * or a signal is a failure.
     */
    public void addLauncher(Daemon launcher) {
        follow(new Tracked(launcher, true));
    }

    private void follow(Tracked t) {
        tracked.add(t);
        t.daemon().onExit(status -> {
            if (t.failed(status)) {
                failureListeners.forEach(l -> l.accept(t.daemon()));
            }
        });
    }

    /** Every followed process in the order it was added. */
    public List<Daemon> all() {
        return tracked.stream().map(Tracked::daemon).toList();
    }

    /**
     * The daemons without the launchers that forked them: the processes that serve and run on
     * after the handoff (what the boot report lists).
     */
    public List<Daemon> serving() {
        return tracked.stream().filter(t -> !t.launcher()).map(Tracked::daemon).toList();
    }

    /** Calls {@code listener} (from the reaper thread) whenever a followed process fails, as {@link #checkHealthy}. */
    public void onFailure(Consumer<Daemon> listener) {
        failureListeners.add(listener);
        for (Tracked t : tracked) {
            if (t.daemon().exitStatus().map(t::failed).orElse(false)) {
                listener.accept(t.daemon());
            }
        }
    }

    /** Fails when a daemon has ended, or a launcher has ended with a failure. */
    public void checkHealthy() throws BootFailure {
        for (Tracked t : tracked) {
            Optional<ExitStatus> status = t.daemon().exitStatus();
            if (status.isPresent() && t.failed(status.get())) {
                throw new BootFailure(PortFailures.daemonEnded(t.daemon(), status.get()));
            }
        }
    }
}
