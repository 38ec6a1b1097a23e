package dev.nvrc.core.api;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.topology.ModeDetector;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the init does on a machine: the mode and the NVLink fabric it brings up, decided from the
 * settings and the PCI topology (the table in docs/mode-and-topology.md). The boot acts on this
 * same value, so what {@link #decide} gives is what a boot on that machine does. Immutable, and so
 * safe to share between threads.
 *
 * @param mode the mode that runs
 * @param nvlink the fabric to bring up, {@link NvLink#NONE} for none
 * @param fabricMode Fabric Manager's {@code FABRIC_MODE}: 0 for a GPU VM that owns its fabric, 1
 *     for an NVSwitch service VM; meaningful only when {@link #runsFabricManager()}
 * @param railPolicy Fabric Manager's {@code PARTITION_RAIL_POLICY}; meaningful only when
 *     {@link #runsFabricManager()}
 * @param detected true when the topology chose the mode, false when {@code nvrc.mode} did
 */
public record ModeDecision(Mode mode, NvLink nvlink, int fabricMode, RailPolicy railPolicy, boolean detected) {
    /**
     * Checks the values are a decision the boot can act on.
     *
     * @param mode the mode
     * @param nvlink the fabric
     * @param fabricMode Fabric Manager's {@code FABRIC_MODE}
     * @param railPolicy Fabric Manager's rail policy
     * @param detected whether the topology chose the mode
     * @throws NullPointerException when {@code mode}, {@code nvlink} or {@code railPolicy} is null
     * @throws IllegalArgumentException when {@code fabricMode} is not 0 or 1, or the fabric cannot
     *     use the rail policy (NVLink 5 is symmetric only)
     */
    public ModeDecision {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(nvlink, "nvlink");
        Objects.requireNonNull(railPolicy, "railPolicy");
        if (fabricMode != 0 && fabricMode != 1) {
            throw new IllegalArgumentException("fabricMode is 0 or 1, not " + fabricMode);
        }
        if (!ModeDetector.railPolicyAllowed(nvlink, railPolicy)) {
            // The same rule ModeDetector refuses with a message for the user; a decision built otherwise is a bug.
            throw new IllegalArgumentException("NVLink 5 cannot use the " + railPolicy + " rail policy");
        }
    }

    /**
     * Decides the mode for {@code settings} on {@code topology}.
     *
     * @param settings the command line's settings ({@code nvrc.mode}, {@code nvrc.fm.*})
     * @param topology the machine's PCI functions
     * @return the decision
     * @throws NvrcException when no mode fits (a layout that is not in the table), an explicit
     *     mode the hardware cannot serve, or a fabric setting without a fabric; the message lists
     *     what was found
     */
    public static ModeDecision decide(Settings settings, PciTopology topology) throws NvrcException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(topology, "topology");
        try {
            return ModeDetector.decide(settings.config(), topology);
        } catch (BootFailure e) {
            throw new NvrcException(e.getMessage(), e.getCause());
        }
    }

    /**
     * Reads the PCI topology of the tree at {@code root} ({@link PciTopology#read}) and decides
     * its mode for {@code settings}.
     *
     * @param root the root of the tree whose {@code /sys} is read
     * @param settings the command line's settings
     * @return the decision
     * @throws NvrcException as {@link PciTopology#read} and {@link #decide}
     */
    public static ModeDecision detect(Path root, Settings settings) throws NvrcException {
        Objects.requireNonNull(settings, "settings");
        return decide(settings, PciTopology.read(root));
    }

    /**
     * Whether Fabric Manager runs.
     *
     * @return true when there is a fabric to bring up
     */
    public boolean runsFabricManager() {
        return nvlink != NvLink.NONE;
    }
}
