package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.Mode;
import dev.nvrc.core.cmdline.RailPolicy;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.core.topology.NvLink;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps that bring up an NVLink fabric, for the launcher.
 *
 * <p>NVLink 3 and 4 (HGX A100, HGX H100/H200/H800): {@code modprobe nvidia} (service VM only),
 * {@code fabricmanager.cfg}, {@code nv-fabricmanager}, {@code health}.
 *
 * <p>NVLink 5 (HGX B200/B300/B100): {@code modprobe ib_umad}, {@code modprobe mlx5_ib},
 * {@code infiniband port guid}, {@code nvlsm}, {@code health}, {@code fabricmanager.cfg},
 * {@code nv-fabricmanager}, {@code health}. No NVIDIA module is loaded here.
 *
 * <p>In a GPU VM with a fabric (mode {@code gpu} and NVL3/NVL4/NVL5, FABRIC_MODE 0) the GPU steps
 * have loaded {@code nvidia} and {@code nvidia-uvm} already, so these steps do not load it again
 * (upstream runs {@code modprobe nvidia} a second time); the launcher puts them right after the
 * GPU module loads and before nvidia-persistenced. See docs/fabric.md.
 */
public final class FabricSteps {
    /** Step name: loads {@code nvidia} in an NVLink 4 service VM. */
    public static final String MODPROBE_NVIDIA = "modprobe nvidia";
    /** Step name: loads {@code ib_umad}. */
    public static final String MODPROBE_IB_UMAD = "modprobe ib_umad";
    /** Step name: loads {@code mlx5_ib}. */
    public static final String MODPROBE_MLX5_IB = "modprobe mlx5_ib";
    /** Step name: writes {@code /run/fabricmanager.cfg}. */
    public static final String FABRIC_MANAGER_CONFIG = "fabricmanager.cfg";
    /** Step name: finds the InfiniBand port GUID. */
    public static final String PORT_GUID = "infiniband port guid";
    /** Step name: starts NVLSM. */
    public static final String NVLSM = NvlsmStep.DAEMON;
    /** Step name: starts Fabric Manager. */
    public static final String FABRIC_MANAGER = FabricManagerStep.DAEMON;
    /** Step name: checks that every daemon still runs. */
    public static final String HEALTH = HealthStep.NAME;

    private FabricSteps() {}

    /**
     * The fabric steps for {@code decision}, with the programs where {@link FabricLayout#detect}
     * finds them under {@code paths} (so call it after the guest extensions are mounted). Empty
     * when the decision has no fabric.
     *
     * @throws BootFailure when the decision cannot be brought up: NVLink 5 with the greedy rail
     *     policy, a FABRIC_MODE other than 0 or 1, or a service VM mode that contradicts the fabric
     */
    public static List<Step> forDecision(ModeDecision decision, Config config, NvrcPaths paths) throws BootFailure {
        return build(decision, config, FabricLayout.detect(paths), paths);
    }

    /**
     * As {@link #forDecision(ModeDecision, Config, NvrcPaths)}, with the layout given. The plan of
     * {@code infiniband port guid} shows a placeholder: these steps do not know the tree.
     */
    public static List<Step> forDecision(ModeDecision decision, Config config, FabricLayout layout)
            throws BootFailure {
        return build(decision, config, layout, null);
    }

    /** {@code preview}: the tree whose InfiniBand devices the plan shows, or null. */
    private static List<Step> build(ModeDecision decision, Config config, FabricLayout layout, NvrcPaths preview)
            throws BootFailure {
        check(decision);
        List<Step> steps = new ArrayList<>();
        if (decision.nvlink().isNvSwitchFabric()) {
            if (decision.mode() == Mode.NVSWITCH_NVL4) {
                steps.add(new ModprobeStep("nvidia", layout));
            }
            addFabricManager(steps, decision, config, layout, null);
        } else if (decision.nvlink() == NvLink.NVL5) {
            PortGuidHolder guid = new PortGuidHolder(preview);
            steps.add(new ModprobeStep("ib_umad", layout));
            steps.add(new ModprobeStep("mlx5_ib", layout));
            steps.add(new PortGuidStep(guid));
            steps.add(new NvlsmStep(layout, NvlsmStep.settleTime(config), guid));
            steps.add(new HealthStep());
            addFabricManager(steps, decision, config, layout, guid);
        }
        return List.copyOf(steps);
    }

    private static void addFabricManager(List<Step> steps, ModeDecision decision, Config config,
            FabricLayout layout, PortGuidHolder guid) {
        steps.add(new FabricManagerConfigStep(layout, decision.fabricMode(), decision.railPolicy()));
        steps.add(new FabricManagerStep(layout, config.readinessTimeout(FabricManagerStep.DAEMON), guid));
        steps.add(new HealthStep());
    }

    private static void check(ModeDecision d) throws BootFailure {
        if (d.nvlink() == NvLink.NONE) {
            if (d.mode().isServiceVm()) {
                throw new BootFailure("mode " + d.mode() + " is an NVSwitch service VM, but no NVLink fabric was"
                        + " decided for it");
            }
            return;
        }
        if (d.nvlink() == NvLink.NVL5 && d.railPolicy() == RailPolicy.GREEDY) {
            throw new BootFailure("NVLink 5 partitions need the symmetric rail policy: nvrc.fm.rail.policy=greedy"
                    + " cannot be used on an NVLink 5 (HGX B200/B300/B100) system; drop it or set symmetric");
        }
        if (d.fabricMode() != 0 && d.fabricMode() != 1) {
            throw new BootFailure("Fabric Manager FABRIC_MODE must be 0 (bare metal) or 1 (shared NVSwitch),"
                    + " the mode decision gave " + d.fabricMode());
        }
        boolean consistent = switch (d.mode()) {
            case GPU -> true;
            case CPU -> false;
            case NVSWITCH_NVL4 -> d.nvlink().isNvSwitchFabric();
            case NVSWITCH_NVL5 -> d.nvlink() == NvLink.NVL5;
        };
        if (!consistent) {
            throw new BootFailure("mode " + d.mode() + " cannot bring up an " + d.nvlink() + " fabric");
        }
    }
}
