package dev.nvrc.core.api;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.Mode;
import dev.nvrc.core.cmdline.RailPolicy;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.core.topology.ModeDetector;
import dev.nvrc.core.topology.NvLink;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What the init does on a machine: the mode and the NVLink fabric it brings up, decided from the
 * settings and the PCI topology exactly as at boot (the table in docs/mode-and-topology.md).
 * Immutable, and so safe to share between threads.
 *
 * @param mode {@code "gpu"}, {@code "cpu"}, {@code "nvswitch-nvl4"} or {@code "nvswitch-nvl5"}
 * @param nvlink the fabric: {@code "none"}, {@code "nvl3"}, {@code "nvl4"} or {@code "nvl5"}
 * @param fabricMode Fabric Manager's {@code FABRIC_MODE}: 0 for a GPU VM that owns its fabric, 1
 *     for an NVSwitch service VM; meaningful only when {@link #runsFabricManager()}
 * @param railPolicy Fabric Manager's {@code PARTITION_RAIL_POLICY}, {@code "greedy"} or
 *     {@code "symmetric"}; meaningful only when {@link #runsFabricManager()}
 * @param detected true when the topology chose the mode, false when {@code nvrc.mode} did
 */
public record DetectedMode(String mode, String nvlink, int fabricMode, String railPolicy, boolean detected) {
    /**
     * Checks each value is one the boot can decide.
     *
     * @param mode the mode
     * @param nvlink the fabric
     * @param fabricMode Fabric Manager's {@code FABRIC_MODE}
     * @param railPolicy Fabric Manager's rail policy
     * @param detected whether the topology chose the mode
     * @throws NullPointerException when {@code mode}, {@code nvlink} or {@code railPolicy} is null
     * @throws IllegalArgumentException when a value is not one listed above (canonical spelling)
     */
    public DetectedMode {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(nvlink, "nvlink");
        Objects.requireNonNull(railPolicy, "railPolicy");
        oneOf("mode", mode, Arrays.stream(Mode.values()).map(Mode::canonical).toList());
        oneOf("nvlink", nvlink, Arrays.stream(NvLink.values()).map(DetectedMode::spelling).toList());
        oneOf("railPolicy", railPolicy, Arrays.stream(RailPolicy.values()).map(RailPolicy::canonical).toList());
        if (fabricMode != 0 && fabricMode != 1) {
            throw new IllegalArgumentException("fabricMode is 0 or 1, not " + fabricMode);
        }
    }

    private static void oneOf(String what, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(what + " is one of " + allowed + ", not " + value);
        }
    }

    private static String spelling(NvLink nvlink) {
        return nvlink.name().toLowerCase(Locale.ROOT);
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
    public static DetectedMode decide(Settings settings, PciTopology topology) throws NvrcException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(topology, "topology");
        try {
            ModeDecision d = ModeDetector.decide(settings.config(), topology);
            return new DetectedMode(d.mode().canonical(), spelling(d.nvlink()), d.fabricMode(),
                    d.railPolicy().canonical(), d.detected());
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
    public static DetectedMode detect(Path root, Settings settings) throws NvrcException {
        Objects.requireNonNull(settings, "settings");
        return decide(settings, PciTopology.read(root));
    }

    /**
     * Whether Fabric Manager runs.
     *
     * @return true when there is a fabric to bring up
     */
    public boolean runsFabricManager() {
        return !nvlink.equals("none");
    }
}
