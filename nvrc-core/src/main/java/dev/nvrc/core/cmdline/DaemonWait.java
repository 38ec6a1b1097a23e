package dev.nvrc.core.cmdline;

import java.time.Duration;
import java.util.Optional;

/**
 * How the boot waits for each daemon it starts, and for how long under a command line: the one
 * home of that rule. The daemon steps take their durations from it (nvrc-gpu's
 * {@code GpuSteps.persistenced}, nvrc-fabric's {@code FabricSteps}), and the library's
 * {@code Settings.readinessTimeout(Daemon)} answers from it, so the answer a tool gets is what the
 * boot waits. A test in nvrc-plan holds every daemon step of the plan to it (a daemon that gains a
 * wait in its step but not here fails there).
 */
public enum DaemonWait {
    /** Awaited on its readiness marker: {@code nvrc.timeout.nvidia-persistenced}, {@code nvrc.timeout}, 600 s. */
    NVIDIA_PERSISTENCED(Parameter.Daemons.PERSISTENCED, Kind.MARKER),
    /** Awaited on its readiness marker: {@code nvrc.timeout.nv-fabricmanager}, {@code nvrc.timeout}, 300 s. */
    NV_FABRICMANAGER(Parameter.Daemons.FABRICMANAGER, Kind.MARKER),
    /** Logs no marker: must still run after {@code nvrc.nvlsm.settle}, 1 s by default ({@code nvrc.timeout} does not apply). */
    NVLSM(Parameter.Daemons.NVLSM, Kind.SETTLE),
    /**
     * Awaited on its own readiness line (on its stdout, in the foreground with {@code -n}):
     * {@code nvrc.timeout.nv-hostengine}, {@code nvrc.timeout}, 300 s. dcgm-exporter connects to
     * it next and exits when it is not up.
     */
    NV_HOSTENGINE(Parameter.Daemons.HOSTENGINE, Kind.MARKER),
    /** Started and left to run: nothing waits for it (its death still fails the boot). */
    DCGM_EXPORTER("dcgm-exporter", Kind.NONE);

    /** How the boot waits. */
    public enum Kind {
        /** Until the daemon logs its readiness marker, at most the timeout. */
        MARKER,
        /** The daemon must still run after the settle time. */
        SETTLE,
        /** Not at all. */
        NONE
    }

    private final String daemon;
    private final Kind kind;

    DaemonWait(String daemon, Kind kind) {
        this.daemon = daemon;
        this.kind = kind;
    }

    /** The daemon's name: its step's name and the {@code <daemon>} of its {@code nvrc.timeout.<daemon>} key. */
    public String daemon() {
        return daemon;
    }

    /** How the boot waits for it. */
    public Kind kind() {
        return kind;
    }

    /**
     * How long the boot waits for this daemon under {@code config}: the marker's timeout or the
     * settle time; empty when it does not wait.
     */
    public Optional<Duration> of(BootConfig config) {
        return switch (kind) {
            case MARKER -> Optional.of(config.readinessTimeout(daemon));
            case SETTLE -> Optional.of(config.nvlsmSettle());
            case NONE -> Optional.empty();
        };
    }
}
