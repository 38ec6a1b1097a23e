package dev.nvrc.core.topology;

import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import java.util.List;

/**
 * What board the assigned GPUs look like, by their chip family (from the PCI device id) and the
 * fabric hardware beside them. Information only, for the plan, the log and the boot report: the
 * mode never depends on it (as upstream, whose platform kind is information too).
 *
 * <p>Chip families by device-id range (kata-containers pcilibs-rs {@code gpu/chips.rs}): Ampere
 * GA100 {@code 0x2080-0x20ff} (nvrc's addition, for HGX A100), Hopper GH100 {@code 0x22f0-0x237f},
 * Blackwell GB100/GB102/GB110/GB112 {@code 0x2900-0x29ff}, {@code 0x3180-0x327f}, Rubin
 * GR100/GR102 {@code 0x3000-0x30ff}. Upstream also tells PCIe, SXM and coherent (Grace) boards
 * apart by a catalog of subsystem ids; nvrc does not, so a board is named by family and fabric.
 */
public enum Board {
    /** No GPU assigned. */
    NO_GPU("no GPU"),
    /** Ampere GA100 with second-generation NVSwitches. */
    HGX_A100("HGX A100 (NVLink 3)"),
    /** Hopper with NVSwitches as PCI functions. */
    HGX_HX00("HGX H100/H200 (Hx00)"),
    /** Blackwell with ConnectX management functions. */
    HGX_BX00("HGX B200/B300 (Bx00)"),
    /** Rubin with ConnectX management functions. */
    HGX_RX00("HGX Rubin (Rx00)"),
    /** GPUs of one known family without fabric hardware: PCIe cards, or a partition of a shared-NVSwitch board. */
    GPUS_WITHOUT_FABRIC("GPUs without fabric hardware (PCIe cards or a shared-NVSwitch partition)"),
    /** GPUs of more than one family. */
    MIXED("GPUs of different families"),
    /** A family nvrc does not know, or a fabric that family does not use. */
    UNKNOWN("not a board nvrc knows by name");

    private final String description;

    Board(String description) {
        this.description = description;
    }

    /** What the plan and the report say. */
    public String description() {
        return description;
    }

    /** The board {@code topology} looks like. */
    public static Board of(PciTopology topology) {
        List<PciFunction> gpus = topology.gpus();
        if (gpus.isEmpty()) {
            return NO_GPU;
        }
        String family = family(gpus.get(0).deviceId());
        if (gpus.stream().anyMatch(g -> !family(g.deviceId()).equals(family))) {
            return MIXED;
        }
        boolean switches = !topology.nvSwitches().isEmpty();
        boolean connectX = !topology.swMngNics().isEmpty();
        if (!switches && !connectX) {
            return family.isEmpty() ? UNKNOWN : GPUS_WITHOUT_FABRIC;
        }
        return switch (family) {
            case "ampere" -> switches ? HGX_A100 : UNKNOWN;
            case "hopper" -> switches ? HGX_HX00 : UNKNOWN;
            case "blackwell" -> connectX && !switches ? HGX_BX00 : UNKNOWN;
            case "rubin" -> connectX && !switches ? HGX_RX00 : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    /** The chip family of a GPU device id, or "" when nvrc does not know it. */
    static String family(int deviceId) {
        if (deviceId >= 0x2080 && deviceId <= 0x20ff) {
            return "ampere";
        }
        if (deviceId >= 0x22f0 && deviceId <= 0x237f) {
            return "hopper";
        }
        if ((deviceId >= 0x2900 && deviceId <= 0x29ff) || (deviceId >= 0x3180 && deviceId <= 0x327f)) {
            return "blackwell";
        }
        if (deviceId >= 0x3000 && deviceId <= 0x30ff) {
            return "rubin";
        }
        return "";
    }
}
