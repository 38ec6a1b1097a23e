package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Decision;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.topology.Board;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.topology.ModeDetector;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.topology.TopologyReader;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code topology}: reads the PCI devices and decides the mode (or checks the explicit one),
 * returning both as {@link Hardware}.
 */
final class TopologyDecision implements Decision<TopologyDecision.Hardware> {
    static final String NAME = "topology";

    /**
     * What the topology step decided.
     *
     * @param topology the PCI functions nvrc cares about
     * @param mode the mode decision for the command line on them
     */
    record Hardware(PciTopology topology, ModeDecision mode) {}

    private final BootConfig config;
    private final BootReport report;
    private final Consumer<String> log;

    /** The decision for {@code config}, recording into {@code report} and logging it at info to {@code log}. */
    TopologyDecision(BootConfig config, BootReport report, Consumer<String> log) {
        this.config = config;
        this.report = report;
        this.log = log;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Hardware decide(BootContext context) throws BootFailure {
        PciTopology topology = new TopologyReader(context.paths()).read();
        return new Hardware(topology, ModeDetector.decide(config, topology));
    }

    @Override
    public void apply(Hardware decided, BootContext context) {
        ModeDecision decision = decided.mode();
        PciTopology topology = decided.topology();
        report.fact("mode", decision.mode().canonical());
        report.fact("mode_detected", decision.detected());
        report.fact("topology", topology.summary());
        report.fact("board", Board.of(topology).description());
        if (decision.runsFabricManager()) {
            report.fact("nvlink", nvlink(decision));
        }
        log.accept("mode " + decision.mode().canonical() + (decision.detected() ? " (detected)" : " (nvrc.mode)")
                + (decision.runsFabricManager() ? ", fabric " + nvlink(decision) : "") + ": " + topology.summary()
                + "; board: " + Board.of(topology).description());
    }

    @Override
    public PlanEntry describe(Hardware decided) {
        ModeDecision decision = decided.mode();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", "/sys/bus/pci/devices");
        d.put("found", decided.topology().summary());
        d.put("board", Board.of(decided.topology()).description());
        d.put("mode", decision.mode().canonical() + (decision.detected() ? " (detected)" : " (nvrc.mode)"));
        if (decision.runsFabricManager()) {
            d.put("nvlink", nvlink(decision));
            d.put("fabric_mode", decision.fabricMode());
            d.put("rail_policy", decision.railPolicy().canonical());
        }
        return PlanEntry.of(NAME, d);
    }

    private static String nvlink(ModeDecision decision) {
        return decision.nvlink().canonical();
    }
}
