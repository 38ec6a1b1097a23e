package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.extension.ExtensionMountStep;
import dev.nvrc.core.extension.GpuFirmwareStep;
import dev.nvrc.core.extension.GuestExtension;
import dev.nvrc.core.extension.GuestExtensions;
import dev.nvrc.core.extension.LoaderCacheStep;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.PlanWalk;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.plan.Walk;
import dev.nvrc.core.port.SyslogSink;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.system.BootMounts;
import dev.nvrc.core.system.ExtraModuleStep;
import dev.nvrc.core.system.LoopbackStep;
import dev.nvrc.core.system.ModuleLockdownStep;
import dev.nvrc.core.system.MountStep;
import dev.nvrc.core.system.ReadOnlyRootStep;
import dev.nvrc.core.system.SysctlStep;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.fabric.FabricSteps;
import dev.nvrc.gpu.GpuSteps;
import dev.nvrc.gpu.cdi.CdiSteps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one builder of the boot's steps: {@link #walk} is the boot's order, which {@link Boot} runs
 * and {@code nvrc plan} ({@link #preview}) prints, so what a person checks is what the VM does.
 * Each phase returns an immutable value that the next ones are built from:
 *
 * <ol>
 *   <li>{@link #basics}: mounts, loopback, kernel log, socket buffers, /dev/log — before the
 *       command line is read, so that a bad line can be reported and nothing more is changed;
 *   <li>{@link #commandLine}: the {@link BootConfig};
 *   <li>{@link #agentCheck}: the kata-agent the boot ends in, checked before minutes of GPU work;
 *   <li>{@link ExtensionsDecision}: the extensions that will be mounted, reconciled with the
 *       command line (failing closed), hence the {@link GuestLayout} every later step is built
 *       from, decided once;
 *   <li>{@link #extensionSteps}: each extension verified and mounted, then the gpu extension's
 *       firmware and loader cache — before any driver is loaded (upstream's order);
 *   <li>{@link TopologyDecision}: the PCI topology and the mode decision;
 *   <li>{@link #afterTopology}: GPU, fabric and CDI work for the decided {@link BootFacts}, then
 *       the {@code nvrc.modules}, health, read-only root, module lockdown, boot report and the
 *       handoff.
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
                "net.unix.max_dgram_qlen=" + SyslogSink.BOOT_MAX_DGRAM_QLEN), context -> context.ports().syslog().bind()));
        return steps;
    }

    /**
     * The boot's whole order, once, for the boot and for {@code nvrc plan} alike: each phase
     * decides its value through {@code walk} and hands it on; the steps after the topology are
     * {@link #afterTopology} of the facts decided. {@code source} is where the command line is read.
     *
     * @return the facts the steps after the topology were built from
     */
    public BootFacts walk(CommandLineDecision.Source source, Walk walk) throws BootFailure {
        walk.run(basics());
        BootConfig config = walk.decide(commandLine(source));
        walk.configured(config);
        walk.run(List.of(agentCheck()));
        // The guest layout is decided once, here; the extensions are mounted before any driver loads.
        GuestExtensions extensions = walk.decide(new ExtensionsDecision(config, report));
        walk.run(extensionSteps(extensions));
        TopologyDecision.Hardware hardware = walk.decide(
                new TopologyDecision(config, report, message -> machine.log().info(message)));
        BootFacts facts = new BootFacts(config, extensions, hardware.topology(), hardware.mode());
        afterTopology(facts, walk);
        return facts;
    }

    /**
     * The facts the steps after the topology are built from, each decided once by its phase.
     *
     * @param config the command line's configuration
     * @param extensions the extensions that will be mounted, and so where the NVIDIA user space is
     * @param topology the PCI functions nvrc cares about
     * @param mode the mode decision
     */
    public record BootFacts(BootConfig config, GuestExtensions extensions, PciTopology topology, ModeDecision mode) {
        /** Where the NVIDIA user space is: {@link GuestExtensions#layout()}. */
        public GuestLayout layout() {
            return extensions.layout();
        }
    }

    /**
     * {@code cmdline}: the command line of {@code source}, then (boot only) the log level and,
     * as the first line at that level, which nvrc this is (version and the running jar's sha256,
     * upstream's audit line). A jar that cannot be read fails the step: the boot cannot say what
     * it runs.
     */
    CommandLineDecision commandLine(CommandLineDecision.Source source) {
        return new CommandLineDecision(source, config -> {
            machine.log().configure(config.log(), machine.ports().sysctl());
            String sha256;
            try {
                sha256 = machine.identity().sha256();
            } catch (java.io.IOException e) {
                throw new BootFailure("cannot hash the running nvrc jar: " + e.getMessage(), e);
            }
            report.fact("sha256", sha256);
            machine.log().info(BootMachine.Identity.line(machine.identity().version(), sha256));
        });
    }

    /** {@code /proc/cmdline} of the machine, read with a bound. */
    public static final CommandLineDecision.Source PROC_CMDLINE = context -> {
        try {
            return new String(BoundedFile.read(context.paths().resolve("/proc/cmdline"), BoundedFile.KERNEL_FILE),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BootFailure("read /proc/cmdline: " + IoReason.of(e), e);
        }
    };

    /**
     * {@code kata-agent}: the program the boot hands PID 1 to exists and is executable; described
     * with its verdict on this machine's tree (a plan also previews trees without an agent).
     */
    Step agentCheck() {
        return AgentCheckStep.on(machine.paths());
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

    /**
     * The one function from the decided facts to the rest of the boot: the mode's own steps, then
     * the end of every boot, with the NVIDIA paths where the layout has them.
     */
    void afterTopology(BootFacts facts, Walk walk) throws BootFailure {
        BootConfig config = facts.config();
        GuestLayout layout = facts.layout();
        walkMode(facts, walk);
        List<Step> steps = new ArrayList<>();
        // nvrc.modules: after the mode's own modules, before the lockdown, in every mode.
        config.modules().forEach(module -> steps.add(new ExtraModuleStep(module, layout)));
        steps.add(new HealthStep());
        steps.add(new ReadOnlyRootStep());
        steps.add(new ModuleLockdownStep(report));
        steps.add(new NamedStep("jvm memory", Map.of("reads", "/proc/self/status VmHWM RssAnon RssFile RssShmem"),
                context -> JvmMemory.report(Path.of("/proc/self/status"), report)));
        steps.add(new WriteReportStep(report));
        steps.add(new HandoffStep(config.log() != LogLevel.OFF,
                new AgentEnvironment(machine.environment(), layout.isGpuExtension()), outcome));
        walk.run(steps);
    }

    /**
     * The mode's own steps, in upstream's order. The fabric is checked before the first of them
     * runs, so a decision it cannot bring up stops the boot before any GPU or fabric work.
     */
    private void walkMode(BootFacts facts, Walk walk) throws BootFailure {
        ModeDecision decision = facts.mode();
        if (decision.mode() == Mode.CPU) {
            return;
        }
        BootConfig config = facts.config();
        GuestLayout layout = facts.layout();
        FabricSteps fabric = FabricSteps.forDecision(decision, config, layout);
        if (decision.mode() != Mode.GPU) {
            fabric.walk(walk);
            return;
        }
        GpuSteps gpu = new GpuSteps(config, facts.topology(), layout);
        walk.run(gpu.drivers());
        fabric.walk(walk);
        List<Step> rest = new ArrayList<>(gpu.persistenced());
        rest.addAll(gpu.clocksAndPower());
        rest.addAll(gpu.dcgm());
        rest.add(CdiSteps.forConfig(config, layout, machine.paths(), report::fact));
        rest.addAll(gpu.confComputeReadyState());
        walk.run(rest);
    }

    /**
     * What {@link #preview} decided and lists: every step described, and the facts the steps after
     * the topology were built from.
     *
     * @param entries every step and decision, in the boot's order
     * @param facts the decided facts
     */
    public record Preview(List<PlanEntry> entries, BootFacts facts) {
        public Preview {
            entries = List.copyOf(entries);
            Objects.requireNonNull(facts, "facts");
        }
    }

    /**
     * Every step the init would take for {@code cmdline} on the machine under {@code paths},
     * described, never run: the boot's own {@link #walk} over a machine whose every port refuses,
     * deciding without applying ({@link PlanWalk}). Only files under the root are read (the
     * extension devices, the topology, the InfiniBand devices when the tree has them): the
     * extensions are not mounted, yet every path is shown where the boot will use it.
     */
    public static Preview preview(String cmdline, NvrcPaths paths) throws BootFailure {
        BootMachine machine = PlanOnlyPorts.machine(paths, BootMounts.STANDARD);
        BootPlan plan = new BootPlan(machine, new BootReport(() -> 0), new BootOutcome());
        PlanWalk listing = new PlanWalk(new BootContext(BootConfig.defaults(), paths, machine.ports(), new TrackedDaemons()));
        BootFacts facts = plan.walk(context -> cmdline, listing);
        return new Preview(listing.entries(), facts);
    }
}
