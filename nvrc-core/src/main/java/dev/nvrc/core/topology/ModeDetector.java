package dev.nvrc.core.topology;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides what the VM does from the command line and the roles of its PCI functions.
 *
 * <p>Without {@code nvrc.mode} the roles decide, as upstream NVRC does, and no count is required:
 * <pre>
 *   GPU   fabric hardware           mode            fabric
 *   0     none                      cpu             none
 *   0     NVSwitch                  nvswitch-nvl4   NVLink 3/4: Fabric Manager, FABRIC_MODE=1, greedy
 *   0     ConnectX management       nvswitch-nvl5   NVLink 5: NVLSM + Fabric Manager, FABRIC_MODE=1, symmetric
 *   >= 1  none                      gpu             none
 *   >= 1  NVSwitch                  gpu             NVLink 3/4: Fabric Manager, FABRIC_MODE=0, greedy
 *   >= 1  ConnectX management       gpu             NVLink 5: NVLSM + Fabric Manager, FABRIC_MODE=0, symmetric
 * </pre>
 * NVSwitches and ConnectX management functions at once are two fabrics and fail, naming the
 * functions of each. The NVSwitch generation only names the fabric (NVLink 3 when every switch is
 * a second-generation one, device {@value #NVSWITCH_GEN2_DEVICE}, of HGX A100); both generations run
 * the same steps.
 *
 * <p>An explicit {@code nvrc.mode} chooses the mode, but the hardware must be able to serve it:
 * gpu needs a GPU, nvswitch-nvl4 an NVSwitch, nvswitch-nvl5 a ConnectX management function. In gpu
 * mode the fabric still comes from the hardware. cpu mode runs no fabric whatever the hardware.
 *
 * <p>{@code nvrc.fm.mode} and {@code nvrc.fm.rail.policy} override the fabric defaults; given
 * while no Fabric Manager runs they fail (a setting that silently does nothing hides a mistake),
 * and NVLink 5 refuses the greedy rail policy. This class is the one home of these rules: the
 * command-line parser's early refusal of {@code nvrc.mode=nvswitch-nvl5 nvrc.fm.rail.policy=greedy},
 * the fabric settings {@code check-cmdline} shows for an explicit service-VM mode and the
 * {@link ModeDecision} invariant all call the public rules below.
 */
public final class ModeDetector {
    /** FABRIC_MODE of a GPU VM that owns its NVSwitches (bare-metal passthrough). */
    public static final int FABRIC_MODE_FULL = 0;
    /** FABRIC_MODE of an NVSwitch service VM that serves other VMs' partitions. */
    public static final int FABRIC_MODE_SHARED = 1;
    /** PCI device id of the second-generation NVSwitch (HGX A100, NVLink 3). */
    public static final int NVSWITCH_GEN2_DEVICE = 0x1af1;

    private ModeDetector() {}

    /**
     * The NVLink 5 rule: NVLink 5 partitions (HGX B200/B300/B100) need the symmetric rail policy,
     * so greedy is refused there, explicit or detected. Every other fabric takes either.
     */
    public static boolean railPolicyAllowed(NvLink nvlink, RailPolicy policy) {
        return nvlink != NvLink.NVL5 || policy == RailPolicy.SYMMETRIC;
    }

    /** The rail policy a fabric gets when {@code nvrc.fm.rail.policy} does not say: symmetric on NVLink 5, greedy otherwise. */
    public static RailPolicy defaultRailPolicy(NvLink nvlink) {
        return nvlink == NvLink.NVL5 ? RailPolicy.SYMMETRIC : RailPolicy.GREEDY;
    }

    /** FABRIC_MODE when {@code nvrc.fm.mode} does not say: shared in a service VM, full in a GPU VM. */
    public static int defaultFabricMode(Mode mode) {
        return mode.isServiceVm() ? FABRIC_MODE_SHARED : FABRIC_MODE_FULL;
    }

    /**
     * The fabric an explicit service-VM mode names before any hardware is read: NVLink 5 for
     * nvswitch-nvl5, NVLink 4 for nvswitch-nvl4 (NVLink 3 hardware has the same fabric settings);
     * {@link NvLink#NONE} for gpu and cpu, whose fabric (if any) only the hardware tells.
     */
    public static NvLink fabricNamedBy(Mode mode) {
        return switch (mode) {
            case NVSWITCH_NVL4 -> NvLink.NVL4;
            case NVSWITCH_NVL5 -> NvLink.NVL5;
            case GPU, CPU -> NvLink.NONE;
        };
    }

    /**
     * True for a GPU without NVLink peers: exactly one GPU and no fabric hardware, the case in
     * which the driver is loaded with {@code NVreg_NvLinkDisable=1} (upstream's rule). A rule of
     * the init's, beside the fabric decision, rather than a promise of the api's topology.
     */
    public static boolean isolatedGpu(PciTopology topology) {
        return topology.gpus().size() == 1 && topology.nvSwitches().isEmpty() && topology.swMngNics().isEmpty();
    }

    /** The decision for {@code config} on {@code topology}. */
    public static ModeDecision decide(BootConfig config, PciTopology topology) throws BootFailure {
        Mode mode = config.explicitMode().isPresent()
                ? checkServable(config.explicitMode().get(), topology)
                : detect(topology);
        NvLink nvlink = fabricOf(mode, topology);
        return new ModeDecision(mode, nvlink, fabricMode(config, mode, nvlink, topology),
                railPolicy(config, mode, nvlink, topology), config.explicitMode().isEmpty());
    }

    private static Mode detect(PciTopology t) throws BootFailure {
        NvLink fabric = hardwareFabric(t);
        if (t.gpus().isEmpty()) {
            return switch (fabric) {
                case NONE -> Mode.CPU;
                case NVL3, NVL4 -> Mode.NVSWITCH_NVL4;
                case NVL5 -> Mode.NVSWITCH_NVL5;
            };
        }
        return Mode.GPU;
    }

    private static Mode checkServable(Mode mode, PciTopology t) throws BootFailure {
        String missing = switch (mode) {
            case GPU -> t.gpus().isEmpty() ? "an NVIDIA GPU" : null;
            case NVSWITCH_NVL4 -> t.nvSwitches().isEmpty() ? "an NVSwitch" : null;
            case NVSWITCH_NVL5 -> t.swMngNics().isEmpty() ? "a SW_MNG NIC (NVLink 5 management)" : null;
            case CPU -> null;
        };
        if (missing != null) {
            throw new BootFailure("nvrc.mode=" + mode + " needs " + missing + ", found " + t.summary());
        }
        return mode;
    }

    private static NvLink fabricOf(Mode mode, PciTopology t) throws BootFailure {
        return switch (mode) {
            case CPU -> NvLink.NONE;
            // An explicit service-VM mode names its fabric: the other kind's functions are not its business.
            case NVSWITCH_NVL4 -> nvSwitchGeneration(t);
            case NVSWITCH_NVL5 -> NvLink.NVL5;
            case GPU -> hardwareFabric(t);
        };
    }

    /** The fabric the hardware has; both kinds at once fail, naming each kind's functions. */
    private static NvLink hardwareFabric(PciTopology t) throws BootFailure {
        boolean direct = !t.nvSwitches().isEmpty();
        boolean connectX = !t.swMngNics().isEmpty();
        if (direct && connectX) {
            throw new BootFailure("both NVSwitches (NVLink 3/4: " + bdfs(t.nvSwitches()) + ") and ConnectX management"
                    + " functions (NVLink 5: " + bdfs(t.swMngNics()) + ") are assigned, cannot tell which fabric to"
                    + " bring up: " + t.summary());
        }
        return direct ? nvSwitchGeneration(t) : connectX ? NvLink.NVL5 : NvLink.NONE;
    }

    private static NvLink nvSwitchGeneration(PciTopology t) {
        boolean allGen2 = !t.nvSwitches().isEmpty()
                && t.nvSwitches().stream().allMatch(d -> d.deviceId() == NVSWITCH_GEN2_DEVICE);
        return allGen2 ? NvLink.NVL3 : NvLink.NVL4;
    }

    private static String bdfs(List<PciFunction> devices) {
        return devices.stream().map(PciFunction::bdf).collect(Collectors.joining(", "));
    }

    private static int fabricMode(BootConfig config, Mode mode, NvLink nvlink, PciTopology t) throws BootFailure {
        if (config.fabricModeOverride().isPresent()) {
            requireFabric("nvrc.fm.mode=" + config.fabricModeOverride().getAsInt(), mode, nvlink, t);
            return config.fabricModeOverride().getAsInt();
        }
        return defaultFabricMode(mode);
    }

    private static RailPolicy railPolicy(BootConfig config, Mode mode, NvLink nvlink, PciTopology t) throws BootFailure {
        if (config.railPolicyOverride().isEmpty()) {
            return defaultRailPolicy(nvlink);
        }
        RailPolicy policy = config.railPolicyOverride().get();
        requireFabric("nvrc.fm.rail.policy=" + policy, mode, nvlink, t);
        if (!railPolicyAllowed(nvlink, policy)) {
            throw new BootFailure("nvrc.fm.rail.policy=" + policy + ": NVLink 5 needs symmetric (found "
                    + t.summary() + ")");
        }
        return policy;
    }

    private static void requireFabric(String parameter, Mode mode, NvLink nvlink, PciTopology t) throws BootFailure {
        if (nvlink != NvLink.NONE) {
            return;
        }
        String why = mode == Mode.CPU
                ? "mode cpu runs no Fabric Manager"
                : "no NVSwitch fabric detected (found " + t.summary() + ")";
        throw new BootFailure(parameter + " has no effect: " + why);
    }
}
