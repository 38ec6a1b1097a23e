package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.PortFailures;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * Starts a daemon, follows it until the handoff (its end fails the boot at once, see
 * {@link TrackedDaemons}) and waits for its readiness in one of three ways:
 * <ul>
 *   <li>none: the step returns once it is started (dcgm-exporter);
 *   <li>a marker in /dev/log, with a timeout: the watch is opened before the daemon starts, so an
 *       early marker is never missed (nvidia-persistenced, nv-fabricmanager);
 *   <li>a settle time: "ready" means "still running after it" (nvlsm logs no marker); the step
 *       fails at once, naming the daemon, its status and its last lines, if it ends before (with
 *       any status: such a daemon stays in the foreground).
 * </ul>
 * A preparation may run before the start (a runtime directory, a config that must exist). The argv
 * is fixed when the step is built: a value found during the boot (the port GUID) is decided before
 * the steps that use it are built ({@link Decision}).
 *
 * <p>How it is followed: by default the process started is the daemon and stays in the
 * foreground, so any end of it is a failure. A daemon that always forks ({@link Builder#forks},
 * nvidia-persistenced: there is no option to keep it in the foreground) is started as a
 * <em>launcher</em>: after the marker the step waits for the launcher's exit 0 (which comes once
 * the forked daemon told it it is ready), reads the daemon's pid from its pid file and follows
 * that process ({@link dev.nvrc.core.port.ProcessRunner#follow}); the launcher's exit is then
 * expected, the daemon's end is a failure. The plan's {@code tracked} says which.
 */
public final class DaemonStep implements Step {
    /** Something the step does before starting the daemon. */
    public interface Preparation {
        /** Runs against the step's context; a failure fails the step. */
        void run(BootContext context) throws BootFailure;
    }

    private final String name;
    private final List<String> argv;
    private final Map<String, Object> preparationDetails;
    private final List<Preparation> preparations;
    private final String marker;
    private final Duration timeout;
    private final Duration settle;
    private final UnaryOperator<String> hint;
    private final String pidFile;
    private final Map<String, Object> notes;

    private DaemonStep(Builder b) {
        this.name = b.name;
        this.argv = b.argv;
        this.preparationDetails = Map.copyOf(b.preparationDetails);
        this.preparations = List.copyOf(b.preparations);
        this.marker = b.marker;
        this.timeout = b.timeout;
        this.settle = b.settle;
        this.hint = b.hint;
        this.pidFile = b.pidFile;
        this.notes = Map.copyOf(b.notes);
    }

    /** A daemon named {@code name} (the step's name and the daemon's in messages) running {@code argv}. */
    public static Builder named(String name, List<String> argv) {
        return new Builder(name, argv);
    }

    @Override
    public String name() {
        return name;
    }

    /** The marker awaited, if any. */
    public Optional<String> marker() {
        return Optional.ofNullable(marker);
    }

    /** The readiness timeout, when a marker is awaited. */
    public Optional<Duration> timeout() {
        return Optional.ofNullable(timeout);
    }

    /** The pid file of the daemon the started program forks, when it forks ({@link Builder#forks}). */
    public Optional<String> pidFile() {
        return Optional.ofNullable(pidFile);
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("runs", "background");
        d.put("tracked", pidFile == null
                ? "the process started, which stays in the foreground: any end before the handoff fails the boot"
                : "the daemon it forks, by its pid file " + pidFile + ": the process started exits 0 once that"
                        + " daemon is ready (non-zero fails the boot), the daemon's end fails the boot");
        new java.util.TreeMap<>(preparationDetails).forEach(d::put);
        if (marker != null) {
            d.put("await", marker);
            d.put("timeout_s", timeout.toSeconds());
        } else if (settle != null) {
            d.put("await", "still running after the settle time (" + name + " logs no readiness marker)");
            d.put("settle_ms", settle.toMillis());
        }
        new java.util.TreeMap<>(notes).forEach(d::put);
        return new PlanEntry(name, argv, d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        try {
            startAndAwait(context);
        } catch (BootFailure e) {
            String message = hint.apply(e.getMessage());
            throw message.equals(e.getMessage()) ? e : new BootFailure(message, e);
        }
    }

    private void startAndAwait(BootContext context) throws BootFailure {
        for (Preparation p : preparations) {
            p.run(context);
        }
        Command command = Command.of(name, argv);
        if (marker == null) {
            Daemon daemon = start(context, command, false);
            if (settle != null) {
                settle(daemon);
                context.daemons().ready(name);
            }
            return;
        }
        Daemon started;
        // Watch first: a marker logged before the wait started must not be missed.
        try (MarkerWatch watch = context.ports().syslog().watch(marker)) {
            started = start(context, command, pidFile != null);
            watch.await(started, timeout);
            context.daemons().ready(name);
        }
        if (pidFile != null) {
            followForked(context, started);
        }
    }

    private static Daemon start(BootContext context, Command command, boolean launcher) throws BootFailure {
        Daemon daemon = context.ports().processes().start(command);
        if (launcher) {
            context.daemons().addLauncher(daemon);
        } else {
            context.daemons().add(daemon);
        }
        return daemon;
    }

    /**
     * The launcher has seen its daemon log the marker; it exits 0 once the daemon tells it it is
     * ready. Then the daemon's pid is in its pid file, and that process is followed.
     */
    private void followForked(BootContext context, Daemon launcher) throws BootFailure {
        Optional<ExitStatus> status = endWithin(launcher, timeout, "waiting for " + name + " to hand over to its daemon");
        if (status.isEmpty()) {
            throw new BootFailure(PortFailures.daemon(launcher) + " logged \"" + marker + "\" but did not exit within "
                    + PortFailures.duration(timeout) + " (it exits once the daemon it forked is ready)");
        }
        if (!status.get().success()) {
            throw new BootFailure(PortFailures.daemonEnded(launcher, status.get()));
        }
        long pid = PidFile.read(context.paths().resolve(pidFile), pidFile, name);
        context.daemons().add(context.ports().processes().follow(launcher, pid));
    }

    /**
     * How {@code daemon} ended if it ends within {@code limit}; empty when it is still running
     * then. A zero limit does not wait: the status it has now.
     */
    private static Optional<ExitStatus> endWithin(Daemon daemon, Duration limit, String waiting) throws BootFailure {
        CountDownLatch ended = new CountDownLatch(1);
        daemon.onExit(status -> ended.countDown());
        try {
            if (!limit.isZero() && !limit.isNegative() && !ended.await(limit.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootFailure("interrupted while " + waiting, e);
        }
        return daemon.exitStatus();
    }

    private void settle(Daemon daemon) throws BootFailure {
        // Still running after the settle time: ready. Any end within it is a failure: such a daemon
        // runs in the foreground, it never detaches.
        Optional<ExitStatus> status = endWithin(daemon, settle, "watching " + name + " start");
        if (status.isPresent()) {
            throw new BootFailure(PortFailures.daemonEnded(daemon, status.get()));
        }
    }

    /** Builds a {@link DaemonStep}. */
    public static final class Builder {
        private final String name;
        private final List<String> argv;
        private final Map<String, Object> preparationDetails = new LinkedHashMap<>();
        private final List<Preparation> preparations = new java.util.ArrayList<>();
        private String marker;
        private Duration timeout;
        private Duration settle;
        private UnaryOperator<String> hint = UnaryOperator.identity();
        private String pidFile;
        private final Map<String, Object> notes = new LinkedHashMap<>();

        private Builder(String name, List<String> argv) {
            this.name = Objects.requireNonNull(name, "name");
            this.argv = List.copyOf(argv);
        }

        /** Runs {@code preparation} before the start; the plan shows {@code key: value}. */
        public Builder prepare(String key, Object value, Preparation preparation) {
            preparationDetails.put(key, value);
            preparations.add(preparation);
            return this;
        }

        /** Ready once a /dev/log message contains {@code text}, within {@code limit}. */
        public Builder awaitMarker(String text, Duration limit) {
            this.marker = Objects.requireNonNull(text, "text");
            this.timeout = Objects.requireNonNull(limit, "limit");
            this.settle = null;
            return this;
        }

        /** Ready once it has run for {@code time} without ending (0: at once). */
        public Builder settle(Duration time) {
            this.settle = Objects.requireNonNull(time, "time");
            this.marker = null;
            this.timeout = null;
            return this;
        }

        /**
         * Applies {@code hint} to the message of the step's failure (it returns the message,
         * extended or not): the way out of a failure the daemon's own words identify.
         */
        public Builder explainedBy(UnaryOperator<String> hint) {
            this.hint = Objects.requireNonNull(hint, "hint");
            return this;
        }

        /**
         * The program always forks the daemon and exits (0 once the daemon is ready), and the
         * daemon writes its pid to {@code file} (an absolute guest path) before it says it is ready:
         * after the marker the step follows that process instead of the program it started. Needs
         * {@link #awaitMarker}.
         */
        public Builder forks(String file) {
            this.pidFile = Objects.requireNonNull(file, "file");
            return this;
        }

        /** Adds {@code key: value} to the plan entry (what a reader should know: a rule's source, what is unverified). */
        public Builder note(String key, Object value) {
            notes.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** The step. */
        public DaemonStep build() {
            if (pidFile != null && marker == null) {
                throw new IllegalStateException(name + ": a daemon that forks needs a readiness marker");
            }
            return new DaemonStep(this);
        }
    }
}
