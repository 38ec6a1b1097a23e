package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Decision;
import dev.nvrc.core.plan.PlanEntry;
import java.nio.file.Files;
import java.util.Map;

/**
 * {@code infiniband port guid}: the port NVLSM manages, decided once {@code mlx5_ib} has made the
 * InfiniBand devices; NVLSM's and Fabric Manager's steps are built from it ({@link PortGuidFinder}
 * has the rule). A boot without a qualifying port stops here, naming every device and why.
 *
 * <p>A plan decides it against the tree it was given: the port found there when the tree already
 * has {@code /sys/class/infiniband} (a machine image or a running system given to
 * {@code nvrc plan}), or why none qualifies; otherwise (a booting VM, where the devices appear
 * only after the module load) a placeholder.
 */
final class PortGuidDecision implements Decision<ManagedPort> {
    @Override
    public String name() {
        return FabricSteps.PORT_GUID;
    }

    @Override
    public ManagedPort decide(BootContext context) throws BootFailure {
        return ManagedPort.found(PortGuidFinder.find(context.paths()));
    }

    @Override
    public ManagedPort plan(BootContext context) {
        if (!Files.isDirectory(context.paths().infiniband())) {
            return ManagedPort.notYetKnown();
        }
        try {
            return decide(context);
        } catch (BootFailure e) {
            return ManagedPort.none(e.getMessage());
        }
    }

    @Override
    public PlanEntry describe(ManagedPort decided) {
        return PlanEntry.of(name(), Map.of())
                .with("path", PortGuidFinder.CLASS_DIR)
                .with("rule", "ports above 0 of a ConnectX management function (VPD SMDL=SW_MNG, or its"
                        + " unmarked sibling) whose link_layer is InfiniBand and whose cap_mask has bit 0x400"
                        + " clear, ordered by PCI address, port, device; the first one's"
                        + " GUID = 0x + low 64 bits of gids/0")
                .with("value", decided.description());
    }
}
