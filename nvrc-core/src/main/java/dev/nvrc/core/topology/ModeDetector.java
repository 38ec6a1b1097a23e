package dev.nvrc.core.topology;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.Mode;
import dev.nvrc.core.cmdline.RailPolicy;

/**
 * Decides what the VM does from the command line and the PCI topology.
 *
 * <p>Without {@code nvrc.mode} the topology decides, by the table of {@link KnownLayout} (counts of
 * NVSwitches, GPUs, SW_MNG NICs):
 * <pre>
 *   (0, 0, 0)  cpu
 *   (0, n, 0)  gpu, no fabric               (n >= 1)
 *   (6, 8, 0)  gpu with the NVLink 3 fabric  (HGX A100: Fabric Manager, FABRIC_MODE=0, greedy)
 *   (6, 0, 0)  nvswitch-nvl4 service VM      (HGX A100: Fabric Manager, FABRIC_MODE=1, greedy)
 *   (4, 8, 0)  gpu with the NVLink 4 fabric  (Fabric Manager, FABRIC_MODE=0, greedy)
 *   (4, 0, 0)  nvswitch-nvl4 service VM      (Fabric Manager, FABRIC_MODE=1, greedy)
 *   (0, 8, 4)  gpu with the NVLink 5 fabric  (NVLSM + Fabric Manager, FABRIC_MODE=0, symmetric)
 *   (0, 0, 4)  nvswitch-nvl5 service VM      (NVLSM + Fabric Manager, FABRIC_MODE=1, symmetric)
 * </pre>
 * Anything else fails, listing what was found, every known layout and that {@code nvrc.mode}
 * decides instead.
 *
 * <p>An explicit {@code nvrc.mode} chooses the mode, but the hardware must be able to serve it:
 * gpu needs a GPU, nvswitch-nvl4 an NVSwitch, nvswitch-nvl5 a SW_MNG NIC. In gpu mode the fabric
 * still comes from the hardware: NVSwitches mean NVLink 3 (six of them) or 4, SW_MNG NICs NVLink 5,
 * both at once is ambiguous and fails. cpu mode runs no fabric whatever the hardware.
 *
 * <p>{@code nvrc.fm.mode} and {@code nvrc.fm.rail.policy} override the fabric defaults; given
 * while no Fabric Manager runs they fail (a setting that silently does nothing hides a mistake),
 * and NVLink 5 refuses the greedy rail policy.
 */
public final class ModeDetector {
    /** FABRIC_MODE of a GPU VM that owns its NVSwitches (bare-metal passthrough). */
    public static final int FABRIC_MODE_FULL = 0;
    /** FABRIC_MODE of an NVSwitch service VM that serves other VMs' partitions. */
    public static final int FABRIC_MODE_SHARED = 1;

    private ModeDetector() {}

    /** The decision for {@code config} on {@code topology}. */
    public static ModeDecision decide(Config config, Topology topology) throws BootFailure {
        Mode mode = config.explicitMode().isPresent()
                ? checkServable(config.explicitMode().get(), topology)
                : detect(topology);
        NvLink nvlink = fabricOf(mode, topology);
        return new ModeDecision(mode, nvlink, fabricMode(config, mode, nvlink, topology),
                railPolicy(config, mode, nvlink, topology), config.explicitMode().isEmpty());
    }

    private static Mode detect(Topology t) throws BootFailure {
        return KnownLayout.of(t).map(KnownLayout::mode).orElseThrow(() -> new BootFailure(
                "unexpected topology: " + t.summary() + ": cannot determine the mode; known layouts are "
                        + KnownLayout.list() + " (set nvrc.mode=gpu, cpu, nvswitch-nvl4 or nvswitch-nvl5 to choose one)"));
    }

    private static Mode checkServable(Mode mode, Topology t) throws BootFailure {
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

    private static NvLink fabricOf(Mode mode, Topology t) throws BootFailure {
        return switch (mode) {
            case CPU -> NvLink.NONE;
            case NVSWITCH_NVL4 -> KnownLayout.nvSwitchGeneration(t);
            case NVSWITCH_NVL5 -> NvLink.NVL5;
            case GPU -> {
                boolean nvl4 = !t.nvSwitches().isEmpty();
                boolean nvl5 = !t.swMngNics().isEmpty();
                if (nvl4 && nvl5) {
                    throw new BootFailure("both NVSwitches (NVLink 4) and SW_MNG NICs (NVLink 5) found, cannot"
                            + " tell which fabric to bring up: " + t.summary());
                }
                yield nvl4 ? KnownLayout.nvSwitchGeneration(t) : nvl5 ? NvLink.NVL5 : NvLink.NONE;
            }
        };
    }

    private static int fabricMode(Config config, Mode mode, NvLink nvlink, Topology t) throws BootFailure {
        if (config.fabricModeOverride().isPresent()) {
            requireFabric("nvrc.fm.mode=" + config.fabricModeOverride().getAsInt(), mode, nvlink, t);
            return config.fabricModeOverride().getAsInt();
        }
        return mode.isServiceVm() ? FABRIC_MODE_SHARED : FABRIC_MODE_FULL;
    }

    private static RailPolicy railPolicy(Config config, Mode mode, NvLink nvlink, Topology t) throws BootFailure {
        if (config.railPolicyOverride().isEmpty()) {
            return RailPolicy.defaultFor(nvlink == NvLink.NVL5);
        }
        RailPolicy policy = config.railPolicyOverride().get();
        requireFabric("nvrc.fm.rail.policy=" + policy, mode, nvlink, t);
        if (nvlink == NvLink.NVL5 && !policy.allowedOnNvLink5()) {
            throw new BootFailure("nvrc.fm.rail.policy=" + policy + ": NVLink 5 needs symmetric (found "
                    + t.summary() + ")");
        }
        return policy;
    }

    private static void requireFabric(String parameter, Mode mode, NvLink nvlink, Topology t) throws BootFailure {
        if (nvlink != NvLink.NONE) {
            return;
        }
        String why = mode == Mode.CPU
                ? "mode cpu runs no Fabric Manager"
                : "no NVSwitch fabric detected (found " + t.summary() + ")";
        throw new BootFailure(parameter + " has no effect: " + why);
    }
}
