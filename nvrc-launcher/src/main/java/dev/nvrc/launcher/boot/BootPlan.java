package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.extension.GuestExtension;
import dev.nvrc.core.extension.GuestExtensions;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.core.topology.Topology;
import dev.nvrc.fabric.FabricSteps;
import dev.nvrc.gpu.GpuSteps;
import dev.nvrc.gpu.cdi.CdiSteps;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The boot as an ordered list of steps, per mode. The same lists are run by {@link Boot} and
 * printed by {@code nvrc plan}, so what a person checks is what the VM does.
 *
 * <ol>
 *   <li>{@link #basics}: mounts, loopback, kernel log, socket buffers, /dev/log — before the
 *       command line is read, so that a bad line can be reported and nothing more is changed;
 *   <li>{@code cmdline}, {@code extensions} (run by the caller: they produce the configuration
 *       and the {@link GuestLayout} the rest is built from);
 *   <li>{@link #extensions}: each extension verified and mounted, then the gpu extension's
 *       firmware and loader cache — before any driver is loaded;
 *   <li>{@code topology} (run by the caller: the mode decision);
 *   <li>{@link #modeSteps}: GPU, fabric and CDI work for the decided mode;
 *   <li>{@link #finish}: the {@code nvrc.modules}, health, read-only root, module lockdown, boot
 *       report, handoff.
 * </ol>
 */
public final class BootPlan {
    /** Socket buffer size for daemons' sockets (16 MiB), as upstream sets it. */
    static final String SOCKET_BUFFER = "16777216";

    private BootPlan() {}

    /** Steps before the command line is read. */
    public static List<Step> basics(List<MountRequest> mounts, Step kernelLog, Step syslog) {
        List<Step> steps = new ArrayList<>();
        mounts.forEach(m -> steps.add(new MountStep(m)));
        steps.add(new LoopbackStep());
        steps.add(kernelLog);
        for (String key : List.of("net.core.rmem_default", "net.core.wmem_default", "net.core.rmem_max",
                "net.core.wmem_max")) {
            steps.add(SysctlStep.of(key, SOCKET_BUFFER));
        }
        steps.add(syslog);
        return steps;
    }

    /**
     * The extensions' steps, in upstream's order: each extension opened with dm-verity and
     * mounted; with the gpu extension, its firmware bound over the base image's and the loader
     * cache rebuilt. Empty without extensions.
     */
    public static List<Step> extensions(GuestExtensions extensions) {
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

    /** The mode's own steps, in upstream's order, with the NVIDIA paths where {@code layout} has them. */
    public static List<Step> modeSteps(Config config, Topology topology, ModeDecision decision, GuestLayout layout)
            throws BootFailure {
        List<Step> steps = new ArrayList<>();
        switch (decision.mode()) {
            case CPU -> { }
            case GPU -> {
                GpuSteps gpu = new GpuSteps(config, topology, layout);
                steps.addAll(gpu.drivers());
                if (decision.runsFabricManager()) {
                    steps.addAll(FabricSteps.forDecision(decision, config, layout));
                }
                steps.addAll(gpu.persistenced());
                steps.addAll(gpu.clocksAndPower());
                steps.addAll(gpu.dcgm());
                steps.add(CdiSteps.forConfig(config, layout));
                steps.addAll(gpu.secureRandomizationSeed());
            }
            case NVSWITCH_NVL4, NVSWITCH_NVL5 -> steps.addAll(FabricSteps.forDecision(decision, config, layout));
            default -> throw new IllegalStateException("unhandled mode " + decision.mode());
        }
        return steps;
    }

    /**
     * The end of every boot: the extra modules of {@code nvrc.modules} (after the mode's own
     * modules, which {@link #modeSteps} loaded), checks, lockdown, report and the handoff to
     * kata-agent.
     */
    public static List<Step> finish(Config config, GuestLayout layout, BootReport report, SyslogHandover syslog,
            Map<String, String> inheritedEnv) {
        List<Step> steps = new ArrayList<>();
        config.modules().forEach(module -> steps.add(new ExtraModuleStep(module, layout)));
        steps.addAll(List.of(
                new HealthStep(),
                new ReadOnlyRootStep(),
                new SysctlStep("module lockdown", "kernel.modules_disabled", "1"),
                new NamedStep("jvm memory", Map.of("reads", "/proc/self/status VmHWM RssAnon RssFile RssShmem"),
                        context -> JvmMemory.report(Path.of("/proc/self/status"), report)),
                new WriteReportStep(report),
                new HandoffStep(syslog, config.log() != LogLevel.OFF, agentEnv(layout, inheritedEnv))));
        return steps;
    }

    /**
     * kata-agent's environment: what the init was given, minus the stub's loader variable, plus
     * {@code KATA_ATTESTER_VARIANT=nvidia} when the GPU user space is the Kata gpu extension.
     */
    static Map<String, String> agentEnv(GuestLayout layout, Map<String, String> inherited) {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        env.remove("LD_ORIGIN_PATH");
        env.remove("JAVA_TOOL_OPTIONS");
        layout.attesterVariant().ifPresent(variant -> env.put("KATA_ATTESTER_VARIANT", variant));
        return env;
    }
}
