package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.port.Ports;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.kernel.BootMounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The plan of a boot, for a command line and a machine image, computed without touching the
 * machine: the steps are described, never run. Only the topology is read (files under the root).
 */
public final class BootPlanPreview {
    private BootPlanPreview() {}

    /** Every step the init would take, in order. */
    public static List<PlanEntry> of(String cmdline, NvrcPaths paths) throws BootFailure {
        Config config = ConfigParser.parse(cmdline);
        BootReport report = new BootReport(() -> 0);
        List<Step> steps = new ArrayList<>(BootPlan.basics(BootMounts.STANDARD,
                new NamedStep("kernel log", Map.of("path", "/dev/kmsg", "format", "<PRI>nvrc: message"), c -> { }),
                new NamedStep("syslog /dev/log", Map.of("path", "/dev/log"), c -> { })));
        steps.add(new CommandLineStep(c -> { }));
        BootContext readOnly = new BootContext(config, paths, NO_PORTS, new TrackedDaemons());
        // Described with its verdict on this tree (a plan also previews trees without an agent).
        steps.add(AgentCheckStep.previewOn(paths));
        TopologyStep topology = TopologyStep.decided(config, readOnly, report);
        steps.add(topology);
        steps.addAll(BootPlan.modeSteps(config, topology.topology(), topology.decision(), paths));
        steps.addAll(BootPlan.finish(config, paths, report, () -> {
            throw new BootFailure("a plan never hands off");
        }, Map.of("PATH", "/usr/bin:/bin:/sbin", "HOME", "/")));
        List<PlanEntry> entries = new ArrayList<>();
        steps.forEach(s -> entries.add(s.describe()));
        return entries;
    }

    /** Reading the topology needs no port; a plan must never reach one. */
    private static final Ports NO_PORTS = PlanOnlyPorts.create();
}
