package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.topology.Board;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.core.topology.ModeDetector;
import dev.nvrc.core.topology.Topology;
import dev.nvrc.core.topology.TopologyReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/** {@code topology}: reads the PCI devices and decides the mode (or checks the explicit one). */
final class TopologyStep implements Step {
    static final String NAME = "topology";
    private final Config config;
    private final BootReport report;
    private final Consumer<String> log;
    private Topology topology;
    private ModeDecision decision;

    /** The step for {@code config}, recording into {@code report} and logging the decision at info to {@code log}. */
    TopologyStep(Config config, BootReport report, Consumer<String> log) {
        this.config = config;
        this.report = report;
        this.log = log;
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
            d.put("board", Board.of(topology).description());
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
        report.fact("board", Board.of(topology).description());
        log.accept("mode " + decision.mode().canonical() + (decision.detected() ? " (detected)" : " (nvrc.mode)")
                + (decision.runsFabricManager() ? ", fabric " + decision.nvlink().name().toLowerCase(java.util.Locale.ROOT)
                        : "") + ": " + topology.summary() + "; board: " + Board.of(topology).description());
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
