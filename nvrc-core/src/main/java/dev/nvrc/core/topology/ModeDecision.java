package dev.nvrc.core.topology;

import dev.nvrc.core.cmdline.Mode;
import dev.nvrc.core.cmdline.RailPolicy;
import java.util.Objects;

/**
 * What the init will do, decided from the command line and the topology.
 *
 * @param mode the mode that runs
 * @param nvlink the fabric to bring up
 * @param fabricMode Fabric Manager's FABRIC_MODE (0 bare metal, 1 shared service VM); meaningful
 *     only when {@code nvlink != NONE}
 * @param railPolicy Fabric Manager's PARTITION_RAIL_POLICY; meaningful only when {@code nvlink != NONE}
 * @param detected true when the mode came from the hardware, false when {@code nvrc.mode} set it
 */
public record ModeDecision(Mode mode, NvLink nvlink, int fabricMode, RailPolicy railPolicy, boolean detected) {
    public ModeDecision {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(nvlink, "nvlink");
        Objects.requireNonNull(railPolicy, "railPolicy");
        if (!ModeDetector.railPolicyAllowed(nvlink, railPolicy)) {
            // The same rule ModeDetector refuses with a message for the user; a decision built otherwise is a bug.
            throw new IllegalArgumentException("NVLink 5 cannot use the " + railPolicy + " rail policy");
        }
    }

    /** True when Fabric Manager runs. */
    public boolean runsFabricManager() {
        return nvlink != NvLink.NONE;
    }
}
