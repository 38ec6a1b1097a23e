package dev.nvrc.kernel;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.Ports;
import dev.nvrc.kernel.devnode.LinuxDeviceNodes;
import dev.nvrc.kernel.init.LinuxInitControl;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.mount.LinuxMounts;
import dev.nvrc.kernel.net.LinuxNetwork;
import dev.nvrc.kernel.process.LinuxProcessRunner;
import dev.nvrc.kernel.syslog.LinuxSyslogSink;
import dev.nvrc.kernel.syslog.SyslogOptions;
import dev.nvrc.kernel.sysctl.LinuxSysctl;
import java.util.Objects;

/**
 * The real adapters behind core's ports, wired for the launcher.
 *
 * <p>Creating them touches nothing; each machine-changing call checks PID 1 itself. The syslog
 * sink exists from the start (so watches can be opened) but only listens after its
 * {@link LinuxSyslogSink#bind()}, which the boot's {@code syslog /dev/log} step calls once /dev is
 * mounted:
 *
 * <pre>{@code
 * LinuxPorts linux = LinuxPorts.create(NvrcPaths.system());
 * BootMounts.mountAll(linux.mounts());
 * linux.network().loopbackUp();
 * linux.syslog().bind();                     // raises net.unix.max_dgram_qlen, binds /dev/log
 * KernelLog.configure(config.log(), linux.sysctl());
 * Ports ports = linux.ports();
 * }</pre>
 */
public final class LinuxPorts {
    /** How long a failure quoting a daemon waits for the syslog reader to catch up. */
    private static final java.time.Duration DAEMON_OUTPUT_DRAIN = java.time.Duration.ofMillis(500);
    private final NvrcPaths paths;
    private final LinuxMounts mounts;
    private final LinuxNetwork network;
    private final LinuxSysctl sysctl;
    private final LinuxProcessRunner processes;
    private final LinuxSyslogSink syslog;
    private final LinuxInitControl init;
    private final Ports ports;

    private LinuxPorts(NvrcPaths paths, Pid1Guard guard, SyslogOptions syslogOptions) {
        this.paths = Objects.requireNonNull(paths, "paths");
        this.mounts = new LinuxMounts(paths, guard);
        this.network = new LinuxNetwork(guard);
        this.sysctl = new LinuxSysctl(paths, guard);
        this.processes = new LinuxProcessRunner();
        this.syslog = new LinuxSyslogSink(paths.resolve(LinuxSyslogSink.DEV_LOG.toString()), guard, syslogOptions, sysctl);
        this.syslog.addListener(processes::routeSyslog);
        this.processes.captureDaemonOutput(syslog::openStdio);
        this.processes.drainDaemonOutputWith(() -> syslog.sync(DAEMON_OUTPUT_DRAIN));
        this.processes.readKernelLogFrom(paths.resolve(KernelLog.DEV_KMSG.toString()));
        this.init = new LinuxInitControl(paths, guard);
        this.ports = new Ports(mounts, network, sysctl, processes, syslog, init,
                new LinuxDeviceNodes(paths, guard));
    }

    /** The adapters for the machine under {@code paths} ({@link NvrcPaths#system()} on a guest). */
    public static LinuxPorts create(NvrcPaths paths) {
        return new LinuxPorts(paths, Pid1Guard.system(), SyslogOptions.DEFAULT);
    }

    /** As {@link #create(NvrcPaths)}, with other syslog sizes. */
    public static LinuxPorts create(NvrcPaths paths, SyslogOptions syslogOptions) {
        return new LinuxPorts(paths, Pid1Guard.system(), syslogOptions);
    }

    /** All ports for the boot steps. */
    public Ports ports() {
        return ports;
    }

    /** The paths everything is resolved under. */
    public NvrcPaths paths() {
        return paths;
    }

    /** Mount adapter. */
    public LinuxMounts mounts() {
        return mounts;
    }

    /** Network adapter. */
    public LinuxNetwork network() {
        return network;
    }

    /** Sysctl adapter. */
    public LinuxSysctl sysctl() {
        return sysctl;
    }

    /** Process adapter. */
    public LinuxProcessRunner processes() {
        return processes;
    }

    /** The /dev/log sink (fd handoff: {@link LinuxSyslogSink#stopReader()}, {@link LinuxSyslogSink#clearCloseOnExec()}, {@link LinuxSyslogSink#fd()}). */
    public LinuxSyslogSink syslog() {
        return syslog;
    }

    /** Limits, OOM score, execve, power-off. */
    public LinuxInitControl init() {
        return init;
    }
}
