package dev.nvrc.testkit;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/** One of every fake, wired into {@link Ports}. */
public final class FakePorts {
    public final FakeMounts mounts = new FakeMounts(Set.of("proc", "sysfs", "tmpfs", "devtmpfs", "securityfs"));
    public final FakeNetwork network = new FakeNetwork();
    public final FakeSysctl sysctl = new FakeSysctl();
    public final FakeProcessRunner processes = new FakeProcessRunner();
    public final FakeSyslogSink syslog = new FakeSyslogSink();
    public final FakeInitControl init = new FakeInitControl();
    public final FakeDeviceNodes deviceNodes = new FakeDeviceNodes();

    /** The fakes as core's port bundle. */
    public Ports ports() {
        return new Ports(mounts, network, sysctl, processes, syslog, init, deviceNodes);
    }

    /** The pid the forked nvidia-persistenced daemon writes in {@link #persistencedAsNvidias}. */
    public static final long PERSISTENCED_DAEMON_PID = 4242;

    /**
     * Makes nvidia-persistenced behave as NVIDIA's program when it starts: the daemon it forks logs
     * the readiness marker and writes its pid ({@value #PERSISTENCED_DAEMON_PID}) to its pid file
     * under {@code root}, then the process started exits 0. The followed daemon is
     * {@code processes.followed()}.
     */
    public FakePorts persistencedAsNvidias(Path root) {
        processes.whenStarted("nvidia-persistenced", launcher -> {
            syslog.log("nvidia-persistenced: Local RPC services initialized");
            try {
                Path pidFile = root.resolve("var/run/nvidia-persistenced/nvidia-persistenced.pid");
                Files.createDirectories(pidFile.getParent());
                Files.writeString(pidFile, PERSISTENCED_DAEMON_PID + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            launcher.exit(ExitStatus.exited(0));
        });
        return this;
    }

    /** Makes {@code nv-hostengine -n} print its readiness line (to its stdout, which reaches the sink) when it starts. */
    public FakePorts hostengineAsDcgms() {
        processes.whenStarted("nv-hostengine", d -> syslog.log("Started host engine version 4.6.0 using port number: 5555"));
        return this;
    }

    /** A boot context over these fakes, with fresh daemon tracking. */
    public BootContext context(BootConfig config, NvrcPaths paths) {
        return new BootContext(config, paths, ports(), new TrackedDaemons());
    }
}
