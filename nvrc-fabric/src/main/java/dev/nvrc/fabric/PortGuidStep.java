package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Map;

/**
 * {@code infiniband port guid}: finds the port NVLSM manages and hands its GUID on.
 *
 * <p>Its plan shows the GUID it would take when the tree the steps were built for already has
 * {@code /sys/class/infiniband} (a machine image or a running system given to {@code nvrc plan}),
 * or why none qualifies; in a booting VM the devices appear only after {@code mlx5_ib} is loaded,
 * so the plan shows a placeholder ({@link PortGuidHolder#planned()}).
 */
final class PortGuidStep implements Step {
    private final PortGuidHolder holder;

    PortGuidStep(PortGuidHolder holder) {
        this.holder = holder;
    }

    @Override
    public String name() {
        return FabricSteps.PORT_GUID;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name(), Map.of())
                .with("path", PortGuidFinder.CLASS_DIR)
                .with("rule", "ports above 0 of a ConnectX management function (VPD SMDL=SW_MNG, or its"
                        + " unmarked sibling) whose link_layer is InfiniBand and whose cap_mask has bit 0x400"
                        + " clear, ordered by PCI address, port, device; the first one's"
                        + " GUID = 0x + low 64 bits of gids/0")
                .with("value", holder.planned().description());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        holder.set(PortGuidFinder.find(context.paths()));
    }
}
