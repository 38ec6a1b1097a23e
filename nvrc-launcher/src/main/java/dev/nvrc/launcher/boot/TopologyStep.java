package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.topology.KnownLayout;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.core.topology.ModeDetector;
import dev.nvrc.core.topology.Topology;
import dev.nvrc.core.topology.TopologyReader;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code topology}: reads the PCI devices and decides the mode (or checks the explicit one). */
final class TopologyStep implements Step {
    static final String NAME = "topology";
    private final Config config;
    private final BootReport report;
    private Topology topology;
    private ModeDecision decision;

    TopologyStep(Config config, BootReport report) {
        this.config = config;
        this.report = report;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", "/sys/bus/pci/devices");
        if (decision != null) {
            d.put("found", topology.summary());
            d.put("layout", KnownLayout.of(topology).map(KnownLayout::description)
                    .orElse("none of the known layouts (nvrc.mode decides)"));
            d.put("mode", decision.mode().canonical() + (decision.detected() ? " (detected)" : " (nvrc.mode)"));
            if (decision.runsFabricManager()) {
                d.put("nvlink", decision.nvlink().name().toLowerCase(java.util.Locale.ROOT));
                d.put("fabric_mode", decision.fabricMode());
                d.put("rail_policy", decision.railPolicy().canonical());
            }
        }
        return PlanEntry.of(NAME, d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        topology = new TopologyReader(context.paths()).read();
        decision = ModeDetector.decide(config, topology);
        report.fact("mode", decision.mode().canonical());
        report.fact("mode_detected", decision.detected());
        report.fact("topology", topology.summary());
        if (decision.runsFabricManager()) {
            report.fact("nvlink", decision.nvlink().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    Topology topology() {
        return topology;
    }

    ModeDecision decision() {
        return decision;
    }
}
