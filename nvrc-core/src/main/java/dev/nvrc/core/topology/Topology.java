package dev.nvrc.core.topology;

import dev.nvrc.core.api.PciFunction;
import java.util.Comparator;
import java.util.List;

/**
 * The devices nvrc cares about, each list sorted by BDF.
 *
 * @param gpus NVIDIA display controllers (class 0x03xxxx)
 * @param nvSwitches NVIDIA bridges of class 0x0680xx
 * @param swMngNics the ConnectX management functions of an NVLink 5 fabric: Mellanox physical
 *     functions whose VPD carries {@code SMDL=SW_MNG}, and their unmarked siblings in the same slot
 */
public record Topology(List<PciFunction> gpus, List<PciFunction> nvSwitches, List<PciFunction> swMngNics) {
    private static final Comparator<PciFunction> BY_ADDRESS = Comparator.comparing(PciFunction::bdf);

    public Topology {
        gpus = List.copyOf(gpus.stream().sorted(BY_ADDRESS).toList());
        nvSwitches = List.copyOf(nvSwitches.stream().sorted(BY_ADDRESS).toList());
        swMngNics = List.copyOf(swMngNics.stream().sorted(BY_ADDRESS).toList());
    }

    /** A machine with none of these devices. */
    public static Topology empty() {
        return new Topology(List.of(), List.of(), List.of());
    }

    /**
     * True for a GPU without NVLink peers: exactly one GPU and no fabric hardware, the case in
     * which the driver is loaded with {@code NVreg_NvLinkDisable=1} (upstream's rule).
     */
    public boolean isolatedGpu() {
        return gpus.size() == 1 && nvSwitches.isEmpty() && swMngNics.isEmpty();
    }

    /** "8 GPU, 4 NVSwitch, 0 SW_MNG NIC": for messages. */
    public String summary() {
        return gpus.size() + " GPU, " + nvSwitches.size() + " NVSwitch, " + swMngNics.size() + " SW_MNG NIC";
    }
}
