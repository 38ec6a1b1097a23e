package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.core.topology.Topology;
import dev.nvrc.fabric.FabricSteps;
import dev.nvrc.gpu.GpuExtension;
import dev.nvrc.gpu.GpuSteps;
import dev.nvrc.gpu.cdi.CdiSteps;
import java.nio.file.Files;
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
 *   <li>{@code cmdline} and {@code topology} (run by the caller: they produce the configuration
 *       and the mode decision the rest is built from);
 *   <li>{@link #modeSteps}: GPU, fabric and CDI work for the decided mode;
 *   <li>{@link #finish}: the {@code nvrc.modules}, health, read-only root, module lockdown, boot
 *       report, handoff.
 * </ol>
 */
public final class BootPlan {
    /** Socket buffer size for daemons' sockets (16 MiB), as upstream sets it. */
    static final String SOCKET_BUFFER = "16777216";
    /** Where a Kata composable image mounts the GPU user space. */
    static final String GPU_EXTENSION = "/run/kata-extensions/gpu";

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

    /** The mode's own steps, in upstream's order. */
    public static List<Step> modeSteps(Config config, Topology topology, ModeDecision decision, NvrcPaths paths)
            throws BootFailure {
        List<Step> steps = new ArrayList<>();
        switch (decision.mode()) {
            case CPU -> { }
            case GPU -> {
                GpuSteps gpu = new GpuSteps(config, topology, paths);
                steps.addAll(gpu.drivers());
                if (decision.runsFabricManager()) {
                    steps.addAll(FabricSteps.forDecision(decision, config, paths));
                }
                steps.addAll(gpu.persistenced());
                steps.addAll(gpu.clocksAndPower());
                steps.addAll(gpu.dcgm());
                steps.add(CdiSteps.forConfig(config, paths));
                steps.addAll(gpu.secureRandomizationSeed());
            }
            case NVSWITCH_NVL4, NVSWITCH_NVL5 -> steps.addAll(FabricSteps.forDecision(decision, config, paths));
            default -> throw new IllegalStateException("unhandled mode " + decision.mode());
        }
        return steps;
    }

    /**
     * The end of every boot: the extra modules of {@code nvrc.modules} (after the mode's own
     * modules, which {@link #modeSteps} loaded), checks, lockdown, report and the handoff to
     * kata-agent.
     */
    public static List<Step> finish(Config config, NvrcPaths paths, BootReport report, SyslogHandover syslog,
            Map<String, String> inheritedEnv) {
        List<Step> steps = new ArrayList<>();
        GpuExtension extension = new GpuExtension(paths);
        config.modules().forEach(module -> steps.add(new ExtraModuleStep(module, extension)));
        steps.addAll(List.of(
                new HealthStep(),
                new ReadOnlyRootStep(),
                new SysctlStep("module lockdown", "kernel.modules_disabled", "1"),
                new NamedStep("jvm memory", Map.of("reads", "/proc/self/status VmHWM RssAnon RssFile RssShmem"),
                        context -> JvmMemory.report(Path.of("/proc/self/status"), report)),
                new WriteReportStep(report),
                new HandoffStep(syslog, config.log() != LogLevel.OFF, agentEnv(paths, inheritedEnv))));
        return steps;
    }

    /**
     * kata-agent's environment: what the init was given, minus the stub's loader variable, plus
     * {@code KATA_ATTESTER_VARIANT=nvidia} when the GPU user space is a Kata extension.
     */
    static Map<String, String> agentEnv(NvrcPaths paths, Map<String, String> inherited) {
        Map<String, String> env = new LinkedHashMap<>(inherited);
        env.remove("LD_ORIGIN_PATH");
        env.remove("JAVA_TOOL_OPTIONS");
        if (Files.isDirectory(paths.resolve(GPU_EXTENSION))) {
            env.put("KATA_ATTESTER_VARIANT", "nvidia");
        }
        return env;
    }
}
