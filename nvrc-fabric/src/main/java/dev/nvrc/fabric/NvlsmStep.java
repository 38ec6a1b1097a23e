package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code nvlsm}: starts the NVLink subnet manager on the discovered port and tracks it.
 *
 * <p>NVLSM logs no readiness marker nvrc could wait for, so "ready" means "still running after
 * the settle time": the step returns as soon as the settle time has passed, and fails at once,
 * naming nvlsm, its exit status and last lines, if it ends before. A bad GUID or config makes
 * NVLSM exit within milliseconds, so this reports such a failure on nvlsm itself instead of as a
 * Fabric Manager timeout minutes later. The settle time is {@code nvrc.timeout.nvlsm} when given,
 * else {@link #DEFAULT_SETTLE}; 0 starts Fabric Manager right away (upstream's behaviour).
 */
final class NvlsmStep implements Step {
    /** The daemon's name in messages, the report and {@code nvrc.timeout.nvlsm}. */
    static final String DAEMON = "nvlsm";
    /** How long nvlsm must stay up before Fabric Manager starts, unless {@code nvrc.timeout.nvlsm} says otherwise. */
    static final Duration DEFAULT_SETTLE = Duration.ofSeconds(1);

    private final String program;
    private final String config;
    private final Duration settle;
    private final PortGuidHolder guid;

    NvlsmStep(FabricLayout layout, Duration settle, PortGuidHolder guid) {
        this.program = layout.nvlsm();
        this.config = layout.nvlsmConfig();
        this.settle = settle;
        this.guid = guid;
    }

    /** The settle time for a command line: {@code nvrc.timeout.nvlsm} if given, else the default. */
    static Duration settleTime(Config config) {
        return config.daemonTimeouts().getOrDefault(DAEMON, DEFAULT_SETTLE);
    }

    private List<String> argv(String portGuid) {
        return List.of(program, "-F", config, "-g", portGuid, "-f", "stdout");
    }

    @Override
    public String name() {
        return DAEMON;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name(), argv(guid.planned().argument()))
                .with("daemon", DAEMON)
                .with("await", "still running after the settle time (nvlsm logs no readiness marker)")
                .with("settle_ms", settle.toMillis());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        PortGuid port = guid.require(name());
        if (!Files.isRegularFile(context.paths().resolve(config))) {
            throw new BootFailure("NVLSM config " + config + " is missing: the image must ship it with nvlsm");
        }
        Daemon daemon = context.ports().processes().start(Command.of(DAEMON, argv(port.guid())));
        context.daemons().add(daemon);
        settle(daemon);
    }

    private void settle(Daemon daemon) throws BootFailure {
        CountDownLatch ended = new CountDownLatch(1);
        daemon.onExit(status -> ended.countDown());
        try {
            if (!settle.isZero() && !settle.isNegative()) {
                ended.await(settle.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BootFailure("interrupted while watching " + DAEMON + " start", e);
        }
        Optional<ExitStatus> status = daemon.exitStatus();
        if (status.isPresent()) {
            throw new BootFailure(TrackedDaemons.deathMessage(daemon, status.get()));
        }
    }
}
