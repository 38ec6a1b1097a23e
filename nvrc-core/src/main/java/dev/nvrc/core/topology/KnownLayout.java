package dev.nvrc.core.topology;

import dev.nvrc.core.cmdline.Mode;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The PCI layouts of real systems that nvrc recognises without {@code nvrc.mode}, by the counts of
 * NVSwitches, GPUs and SW_MNG bridges a VM sees. This table is the only place the mode is
 * derived from counts; anything not in it is refused (an {@code nvrc.mode} then decides).
 *
 * <p>HGX boards: A100 has six second-generation NVSwitches (NVLink 3), H100/H200/H800/H20 four
 * third-generation ones (NVLink 4); on B200/B300 the NVLink 5 switches are not PCI functions of the
 * host and are reached through ConnectX-7 bridge functions marked SW_MNG in their VPD. A VM gets
 * either everything (full passthrough: the GPUs and what manages their fabric, Fabric Manager in
 * bare-metal mode {@code FABRIC_MODE=0}), only the switches or bridges (the service VM of the
 * shared NVSwitch model, {@code FABRIC_MODE=1}), or only GPUs (a guest of the shared model, whose
 * partition the service VM manages; also every PCIe board and 4-GPU HGX without NVSwitches).
 */
public enum KnownLayout {
    /** No NVIDIA device at all. */
    NO_GPU("no GPU", 0, 0, 0, Mode.CPU, NvLink.NONE),
    /** Any number of GPUs and nothing that manages a fabric. */
    GPUS_ONLY("GPUs without NVSwitch or SW_MNG bridge (PCIe boards, 4-GPU HGX, guests of a shared-NVSwitch"
            + " partition)", 0, -1, 0, Mode.GPU, NvLink.NONE),
    /** HGX A100 8-GPU in full passthrough. */
    HGX_A100("HGX A100 8-GPU, full passthrough (8 GPU + 6 NVSwitch, NVLink 3)", 6, 8, 0, Mode.GPU, NvLink.NVL3),
    /** The NVSwitches of an HGX A100 board alone. */
    HGX_A100_SERVICE_VM("HGX A100 NVSwitch service VM (6 NVSwitch, NVLink 3)", 6, 0, 0, Mode.NVSWITCH_NVL4,
            NvLink.NVL3),
    /** HGX H100/H200/H800/H20 8-GPU in full passthrough. */
    HGX_H100("HGX H100/H200/H800/H20 8-GPU, full passthrough (8 GPU + 4 NVSwitch, NVLink 4)", 4, 8, 0, Mode.GPU,
            NvLink.NVL4),
    /** The NVSwitches of an HGX H100-class board alone. */
    HGX_H100_SERVICE_VM("HGX H100/H200 NVSwitch service VM (4 NVSwitch, NVLink 4)", 4, 0, 0, Mode.NVSWITCH_NVL4,
            NvLink.NVL4),
    /** HGX B200/B300 8-GPU in full passthrough. */
    HGX_B200("HGX B200/B300 8-GPU, full passthrough (8 GPU + 4 SW_MNG bridge, NVLink 5)", 0, 8, 4, Mode.GPU,
            NvLink.NVL5),
    /** The SW_MNG bridges of an HGX B200-class board alone. */
    HGX_B200_SERVICE_VM("HGX B200/B300 NVLink service VM (4 SW_MNG bridge, NVLink 5)", 0, 0, 4, Mode.NVSWITCH_NVL5,
            NvLink.NVL5);

    private final String description;
    private final int nvSwitches;
    private final int gpus;
    private final int swMng;
    private final Mode mode;
    private final NvLink nvlink;

    KnownLayout(String description, int nvSwitches, int gpus, int swMng, Mode mode, NvLink nvlink) {
        this.description = description;
        this.nvSwitches = nvSwitches;
        this.gpus = gpus;
        this.swMng = swMng;
        this.mode = mode;
        this.nvlink = nvlink;
    }

    /** The layout {@code topology} has, if it is one of these. */
    public static Optional<KnownLayout> of(Topology topology) {
        return Arrays.stream(values()).filter(l -> l.matches(topology)).findFirst();
    }

    /** "no GPU; GPUs without ...; HGX A100 ...": every layout, for messages. */
    public static String list() {
        return Arrays.stream(values()).map(KnownLayout::description).collect(Collectors.joining("; "));
    }

    private boolean matches(Topology t) {
        int g = t.gpus().size();
        boolean gpusMatch = gpus < 0 ? g >= 1 : g == gpus;
        return gpusMatch && t.nvSwitches().size() == nvSwitches && t.swMngNics().size() == swMng;
    }

    /** What the layout is, with its counts. */
    public String description() {
        return description;
    }

    /** The mode the layout boots in. */
    public Mode mode() {
        return mode;
    }

    /** The fabric it brings up. */
    public NvLink nvlink() {
        return nvlink;
    }

    /**
     * The fabric of NVSwitches that are PCI functions of the VM, for an explicit {@code nvrc.mode}
     * on a layout not in the table: six switches are a second-generation (A100, NVLink 3) board,
     * any other count is taken as NVLink 4. Both run the same steps (Fabric Manager alone); the
     * generation only names the fabric in the plan and report.
     */
    static NvLink nvSwitchGeneration(Topology t) {
        return t.nvSwitches().size() == HGX_A100.nvSwitches ? NvLink.NVL3 : NvLink.NVL4;
    }
}
