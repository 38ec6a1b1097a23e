package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.kernel.BootMounts;
import dev.nvrc.kernel.LinuxPorts;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.syslog.LinuxSyslogSink;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The init as PID 1: wires the Linux adapters to the plan and runs it. Every failure ends in the
 * fail path; success ends in execve of kata-agent, so this never returns.
 */
public final class Boot {
    private Boot() {}

    /**
     * Boots the VM. Never returns.
     *
     * @param mainUptimeMs when {@code main()} started, in ms since the kernel booted
     */
    public static void run(long mainUptimeMs) {
        // The report's clock is CLOCK_MONOTONIC (ms since the kernel booted), the clock of the
        // kernel log's timestamps, so steps line up with "Run /init as init process".
        BootReport report = new BootReport(() -> System.nanoTime() / 1_000_000);
        NvrcPaths paths = NvrcPaths.system();
        LinuxPorts linux = LinuxPorts.create(paths);
        FailPath failPath = new FailPath(KernelLog::writeUnconditionally, linux.init(), report, FailPath::parkForever);
        BootRunner runner = new BootRunner(report, failPath);
        runner.installUncaughtHandler();
        try {
            report.fact("version", NvrcIdentity.runningVersion());
            report.fact("jvm_main_uptime_ms", mainUptimeMs);
            TrackedDaemons daemons = new TrackedDaemons();
            runner.watch(daemons);
            BootContext early = new BootContext(Config.defaults(), paths, linux.ports(), daemons);
            runner.runAll(BootPlan.basics(BootMounts.STANDARD, kernelLogStep(), syslogStep(linux)), early);
            report.fact("first_step_ms", report.steps().get(0).startMs());

            CommandLineStep cmdline = new CommandLineStep(config -> {
                KernelLog.configure(config.log(), linux.sysctl());
                // The first line at the configured level: which nvrc this is (upstream's audit line).
                NvrcIdentity identity = identity();
                report.fact("sha256", identity.sha256());
                KernelLog.log(LogLevel.INFO, identity.line());
            });
            runner.run(cmdline, early);
            Config config = cmdline.config();
            BootContext context = new BootContext(config, paths, linux.ports(), daemons);

            TopologyStep topology = new TopologyStep(config, report);
            runner.run(topology, context);
            List<Step> rest = new ArrayList<>(planAfterTopology(config, topology, paths, report, linux));
            runner.runAll(rest, context);
            failPath.fail("handoff", "execve of kata-agent returned");
        } catch (Throwable t) {
            failPath.fail(runner.currentStep(), t);
        }
    }

    private static List<Step> planAfterTopology(Config config, TopologyStep topology, NvrcPaths paths,
            BootReport report, LinuxPorts linux) throws BootFailure {
        List<Step> steps = new ArrayList<>(
                BootPlan.modeSteps(config, topology.topology(), topology.decision(), paths));
        steps.addAll(BootPlan.finish(config, paths, report, handover(linux.syslog()), System.getenv()));
        return steps;
    }

    /** The running nvrc; a jar that cannot be read is a failure (the boot cannot say what it runs). */
    static NvrcIdentity identity() throws BootFailure {
        try {
            return NvrcIdentity.running();
        } catch (java.io.IOException e) {
            throw new BootFailure("cannot hash the running nvrc jar: " + e.getMessage(), e);
        }
    }

    /** Switches the kernel log to /dev/kmsg once /dev is mounted (the console before). */
    static Step kernelLogStep() {
        return new NamedStep("kernel log", Map.of("path", "/dev/kmsg", "format", "<PRI>nvrc: message"),
                context -> KernelLog.useKmsg(KernelLog.DEV_KMSG));
    }

    /** Raises the datagram queue and binds /dev/log. */
    static Step syslogStep(LinuxPorts linux) {
        return new NamedStep("syslog /dev/log", Map.of("path", "/dev/log", "sysctl",
                "net.unix.max_dgram_qlen=" + LinuxSyslogSink.BOOT_MAX_DGRAM_QLEN), context -> linux.startSyslog());
    }

    static SyslogHandover handover(LinuxSyslogSink sink) {
        return () -> {
            sink.stopReader();
            sink.clearCloseOnExec();
            return sink.fd();
        };
    }
}
