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
                .with("rule", "first device in byte order whose PCI function's VPD has SMDL=SW_MNG and whose"
                        + " port 1 allows a subnet manager (cap_mask bit 0x400 clear);"
                        + " GUID = 0x + last 4 groups of ports/1/gids/0")
                .with("value", holder.planned().description());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        holder.set(PortGuidFinder.find(context.paths()));
    }
}
