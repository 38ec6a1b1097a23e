package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.extension.GuestExtension;
import dev.nvrc.core.extension.GuestExtensions;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.fabric.FabricSteps;
import dev.nvrc.gpu.GpuSteps;
import dev.nvrc.gpu.cdi.CdiSteps;
import dev.nvrc.kernel.BootMounts;
import dev.nvrc.kernel.syslog.LinuxSyslogSink;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one builder of the boot's steps, used by {@link Boot} to run them and by {@code nvrc plan}
 * ({@link #preview}) to print them, so what a person checks is what the VM does.
 *
 * <ol>
 *   <li>{@link #basics}: mounts, loopback, kernel log, socket buffers, /dev/log — before the
 *       command line is read, so that a bad line can be reported and nothing more is changed;
 *   <li>{@link #cmdline}: the configuration;
 *   <li>{@link #agentCheck}: the kata-agent the boot ends in, checked before minutes of GPU work;
 *   <li>{@link #extensions}: the extensions that will
 *       be mounted, reconciled with it (failing closed), hence the {@link GuestLayout} every later
 *       step is built from, decided once;
 *   <li>{@link #extensionSteps}: each extension verified and mounted, then the gpu extension's
 *       firmware and loader cache — before any driver is loaded (upstream's order);
 *   <li>{@link #topology}: the mode decision;
 *   <li>{@link #afterTopology}: GPU, fabric and CDI work for the decided mode, then the
 *       {@code nvrc.modules}, health, read-only root, module lockdown, boot report and the handoff.
 * </ol>
 */
public final class BootPlan {
    /** Socket buffer size for daemons' sockets (16 MiB), as upstream sets it. */
    static final String SOCKET_BUFFER = "16777216";

    private final BootMachine machine;
    private final BootReport report;
    private final BootOutcome outcome;

    /** The plan of a boot on {@code machine}, recording into {@code report}, handing off through {@code outcome}. */
    public BootPlan(BootMachine machine, BootReport report, BootOutcome outcome) {
        this.machine = machine;
        this.report = report;
        this.outcome = outcome;
    }

    /** Steps before the command line is read. */
    public List<Step> basics() {
        List<Step> steps = new ArrayList<>();
        machine.mounts().forEach(m -> steps.add(new MountStep(m)));
        steps.add(new LoopbackStep());
        steps.add(new NamedStep("kernel log", Map.of("path", "/dev/kmsg", "format", "<PRI>nvrc: message"),
                context -> machine.log().useKmsg()));
        for (String key : List.of("net.core.rmem_default", "net.core.wmem_default", "net.core.rmem_max",
                "net.core.wmem_max")) {
            steps.add(SysctlStep.of(key, SOCKET_BUFFER));
        }
        steps.add(new NamedStep("syslog /dev/log", Map.of("path", "/dev/log", "sysctl",
                "net.unix.max_dgram_qlen=" + LinuxSyslogSink.BOOT_MAX_DGRAM_QLEN), context -> machine.syslog().start()));
        return steps;
    }

    /**
     * {@code cmdline}: reads /proc/cmdline, then applies the log level and logs, as the first line
     * at that level, which nvrc this is (version and the running jar's sha256, upstream's audit
     * line). A jar that cannot be read fails the step: the boot cannot say what it runs.
     */
    CommandLineStep cmdline() {
        return new CommandLineStep(config -> {
            machine.log().configure(config.log(), machine.ports().sysctl());
            String sha256;
            try {
                sha256 = machine.identity().sha256();
            } catch (java.io.IOException e) {
                throw new BootFailure("cannot hash the running nvrc jar: " + e.getMessage(), e);
            }
            NvrcIdentity identity = new NvrcIdentity(machine.identity().version(), sha256);
            report.fact("sha256", identity.sha256());
            machine.log().info(identity.line());
        });
    }

    /**
     * {@code kata-agent}: the program the boot hands PID 1 to exists and is executable; described
     * with its verdict on this machine's tree (a plan also previews trees without an agent).
     */
    Step agentCheck() {
        return AgentCheckStep.on(machine.paths());
    }

    /** {@code extensions}: finds the extension devices and reconciles them with {@code config}. */
    ExtensionsStep extensions(Config config) {
        return new ExtensionsStep(config, report);
    }

    /**
     * The extensions' steps: each extension opened with dm-verity and mounted; with the gpu
     * extension, its firmware bound over the base image's and the loader cache rebuilt. Empty
     * without extensions.
     */
    static List<Step> extensionSteps(GuestExtensions extensions) {
        List<Step> steps = new ArrayList<>();
        for (GuestExtension extension : extensions.extensions()) {
            steps.add(new ExtensionMountStep(extension));
        }
        GuestLayout layout = extensions.layout();
        if (layout.isGpuExtension()) {
            steps.add(new GpuFirmwareStep(layout));
            steps.add(new LoaderCacheStep(layout));
        }
        return steps;
    }

    /** {@code topology}: reads the PCI devices and decides the mode for {@code config}, logging the decision. */
    TopologyStep topology(Config config) {
        return new TopologyStep(config, report, message -> machine.log().info(message));
    }

    /**
     * The steps after {@code topology} has run: the mode's own, then the end of every boot, with
     * the NVIDIA paths where {@code layout} (decided by {@link #extensions}) has them.
     */
    List<Step> afterTopology(Config config, GuestLayout layout, TopologyStep topology) throws BootFailure {
        List<Step> steps = new ArrayList<>(modeSteps(config, topology, layout));
        // nvrc.modules: after the mode's own modules, before the lockdown, in every mode.
        config.modules().forEach(module -> steps.add(new ExtraModuleStep(module, layout)));
        steps.add(new HealthStep());
        steps.add(new ReadOnlyRootStep());
        steps.add(new ModuleLockdownStep(report));
        steps.add(new NamedStep("jvm memory", Map.of("reads", "/proc/self/status VmHWM RssAnon RssFile RssShmem"),
                context -> JvmMemory.report(Path.of("/proc/self/status"), report)));
        steps.add(new WriteReportStep(report));
        steps.add(new HandoffStep(machine.syslog(), config.log() != LogLevel.OFF,
                new AgentEnvironment(machine.environment(), layout.isGpuExtension()), outcome));
        return steps;
    }

    /** The mode's own steps, in upstream's order. */
    private List<Step> modeSteps(Config config, TopologyStep topology, GuestLayout layout) throws BootFailure {
        NvrcPaths paths = machine.paths();
        ModeDecision decision = topology.decision();
        List<Step> steps = new ArrayList<>();
        switch (decision.mode()) {
            case CPU -> { }
            case GPU -> {
                GpuSteps gpu = new GpuSteps(config, topology.topology(), layout);
                steps.addAll(gpu.drivers());
                if (decision.runsFabricManager()) {
                    steps.addAll(FabricSteps.forDecision(decision, config, layout, paths));
                }
                steps.addAll(gpu.persistenced());
                steps.addAll(gpu.clocksAndPower());
                steps.addAll(gpu.dcgm());
                steps.add(CdiSteps.forConfig(config, layout, paths, report::fact));
                steps.addAll(gpu.confComputeReadyState());
            }
            case NVSWITCH_NVL4, NVSWITCH_NVL5 -> steps.addAll(FabricSteps.forDecision(decision, config, layout, paths));
            default -> throw new IllegalStateException("unhandled mode " + decision.mode());
        }
        return steps;
    }

    /**
     * Every step the init would take for {@code cmdline} on the machine under {@code paths},
     * described, never run: the same builder as the boot, over a machine whose every port
     * refuses. Only sysfs is read (the extension devices and the topology, files under the root):
     * the extensions are not mounted, yet every path is shown where the boot will use it.
     */
    public static List<PlanEntry> preview(String cmdline, NvrcPaths paths) throws BootFailure {
        Config config = ConfigParser.parse(cmdline);
        BootMachine machine = PlanOnlyPorts.machine(paths, BootMounts.STANDARD);
        BootPlan plan = new BootPlan(machine, new BootReport(() -> 0), new BootOutcome());
        List<Step> steps = new ArrayList<>(plan.basics());
        steps.add(plan.cmdline());
        steps.add(plan.agentCheck());
        BootContext readOnly = new BootContext(config, paths, machine.ports(), new TrackedDaemons());
        ExtensionsStep extensions = plan.extensions(config);
        extensions.run(readOnly);
        steps.add(extensions);
        steps.addAll(extensionSteps(extensions.extensions()));
        TopologyStep topology = new TopologyStep(config, plan.report, message -> { }); // a plan logs nothing
        topology.run(readOnly);
        steps.add(topology);
        steps.addAll(plan.afterTopology(config, extensions.layout(), topology));
        List<PlanEntry> entries = new ArrayList<>();
        steps.forEach(s -> entries.add(s.describe()));
        return entries;
    }
}
