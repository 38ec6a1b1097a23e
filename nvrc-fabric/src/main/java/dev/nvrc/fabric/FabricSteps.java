package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.DaemonWait;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.plan.DaemonStep;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.ModuleLoad;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import java.nio.file.Files;
import java.time.Duration;
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
 *
 * <p>The daemons are core's {@link DaemonStep}s: Fabric Manager awaited on its generation's
 * readiness line ({@link #readiness}), NVLSM (which logs no marker) on a settle time; module
 * loads are {@link ModuleLoad}s. Both stay in the foreground (Fabric Manager through
 * {@code DAEMONIZE=0} in the config nvrc writes), so any end of either fails the boot.
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
    /** Step name and daemon name (also in {@code nvrc.timeout.nvlsm}): starts NVLSM. */
    public static final String NVLSM = "nvlsm";
    /** Step name and daemon name (also in {@code nvrc.timeout.nv-fabricmanager}): starts Fabric Manager. */
    public static final String FABRIC_MANAGER = "nv-fabricmanager";
    /** Step name: checks that every daemon still runs. */
    public static final String HEALTH = HealthStep.NAME;

    /**
     * What Fabric Manager logs at INFO when it starts in-band NVLink probing, the last step of its
     * start on NVLink 4 and 5 (Hopper and Blackwell GPUs register with the fabric in band): their
     * readiness, as upstream's.
     */
    public static final String FM_MARKER = "FM starting NvLink Inband";
    /**
     * What Fabric Manager logs at INFO once it has programmed every NVSwitch: the readiness on
     * NVLink 3 (A100), which has no in-band probing and is reported never to log
     * {@value #FM_MARKER}. The common start of its wordings (see docs/fabric.md).
     */
    public static final String FM_SWITCHES_CONFIGURED = "Successfully configured all the available";
    /** The Fabric Manager config a monolithic image ships (P(x) of it with the gpu extension). */
    public static final String SHIPPED_FABRIC_MANAGER_CONFIG = "/usr/share/nvidia/nvswitch/fabricmanager.cfg";
    /** NVLSM's config a monolithic image ships. */
    public static final String NVLSM_CONFIG = "/usr/share/nvidia/nvlsm/nvlsm.conf";
    /** How long nvlsm must stay up before Fabric Manager starts by default: {@link BootConfig#DEFAULT_NVLSM_SETTLE}. */
    public static final Duration NVLSM_DEFAULT_SETTLE = BootConfig.DEFAULT_NVLSM_SETTLE;

    private FabricSteps() {}

    /**
     * The fabric steps for {@code decision} on the machine at {@code paths}, with the programs
     * where {@link GuestLayout#detect} finds them (call it after the guest extensions are mounted);
     * the plan looks ahead at the tree's InfiniBand devices. See
     * {@link #forDecision(ModeDecision, BootConfig, GuestLayout, NvrcPaths)}.
     *
     * @throws BootFailure as that method
     */
    public static List<Step> forDecision(ModeDecision decision, BootConfig config, NvrcPaths paths) throws BootFailure {
        return forDecision(decision, config, GuestLayout.detect(paths), paths);
    }

    /**
     * As {@link #forDecision(ModeDecision, BootConfig, GuestLayout, NvrcPaths)}; the plan shows a
     * placeholder for the GUID.
     *
     * @throws BootFailure as that method
     */
    public static List<Step> forDecision(ModeDecision decision, BootConfig config, GuestLayout layout) throws BootFailure {
        return forDecision(decision, config, layout, null);
    }

    /**
     * The fabric steps for {@code decision}, with the programs where {@code layout} puts them.
     * Empty when the decision has no fabric.
     *
     * @param preview the tree whose {@code /sys/class/infiniband} the plan of the GUID steps looks
     *     at (the GUID found there, or why none qualifies), or {@code null}: a placeholder
     *
     * @throws BootFailure when the decision cannot be brought up: a FABRIC_MODE other than 0 or 1,
     *     or a service VM mode that contradicts the fabric (NVLink 5 with the greedy rail policy
     *     cannot even be decided, see {@link dev.nvrc.core.topology.ModeDetector#railPolicyAllowed})
     */
    public static List<Step> forDecision(ModeDecision decision, BootConfig config, GuestLayout layout,
            NvrcPaths preview) throws BootFailure {
        return forDecision(decision, config, layout, preview, nvlsmSettleTime(config));
    }

    /**
     * As {@link #forDecision(ModeDecision, BootConfig, GuestLayout, NvrcPaths)} with NVLSM's settle time
     * given: the tests' zero, which no command line can ask for ({@code nvrc.timeout.nvlsm} is at
     * least 1 s), so that they never sleep.
     */
    static List<Step> forDecision(ModeDecision decision, BootConfig config, GuestLayout layout, NvrcPaths preview,
            Duration nvlsmSettle) throws BootFailure {
        check(decision);
        List<Step> steps = new ArrayList<>();
        if (decision.nvlink().isNvSwitchFabric()) {
            if (decision.mode() == Mode.NVSWITCH_NVL4) {
                steps.add(ModuleLoad.step("nvidia", List.of(), layout));
            }
            addFabricManager(steps, decision, config, layout, null);
        } else if (decision.nvlink() == NvLink.NVL5) {
            PortGuidHolder guid = new PortGuidHolder(preview);
            steps.add(ModuleLoad.step("ib_umad", List.of(), layout));
            steps.add(ModuleLoad.step("mlx5_ib", List.of(), layout));
            steps.add(new PortGuidStep(guid));
            steps.add(nvlsm(layout, nvlsmSettle, guid));
            steps.add(new HealthStep());
            addFabricManager(steps, decision, config, layout, guid);
        }
        return List.copyOf(steps);
    }

    /** The settle time for a command line: {@link DaemonWait#NVLSM}'s rule. */
    static Duration nvlsmSettleTime(BootConfig config) {
        return DaemonWait.NVLSM.of(config).orElseThrow();
    }

    /** {@code nvlsm -F <conf> -g <port GUID> -f stdout}, ready when it is still running after the settle time. */
    static Step nvlsm(GuestLayout layout, Duration settle, PortGuidHolder guid) {
        String program = layout.path("/sbin/nvlsm");
        String conf = layout.path(NVLSM_CONFIG);
        return DaemonStep.named(NVLSM, nvlsmArgv(program, conf, PortGuidHolder.PLACEHOLDER))
                .shownAs(() -> nvlsmArgv(program, conf, guid.planned().argument()))
                .argvAtRun(() -> nvlsmArgv(program, conf, guid.require(NVLSM).guid()))
                .prepare("requires", conf, context -> {
                    if (!Files.isRegularFile(context.paths().resolve(conf))) {
                        throw new BootFailure("NVLSM config " + conf + " is missing: the image must ship it with nvlsm");
                    }
                })
                .settle(settle)
                .build();
    }

    private static List<String> nvlsmArgv(String program, String conf, String portGuid) {
        return List.of(program, "-F", conf, "-g", portGuid, "-f", "stdout");
    }

    /**
     * {@code nv-fabricmanager -c /run/fabricmanager.cfg} (with {@code -g <port GUID>} on NVLink 5,
     * {@code guid} null on NVLink 4), awaited on {@value #FM_MARKER}.
     */
    static Step fabricManager(GuestLayout layout, Duration timeout, PortGuidHolder guid, Readiness readiness) {
        String program = layout.path("/bin/nv-fabricmanager");
        return DaemonStep.named(FABRIC_MANAGER, fabricManagerArgv(program, guid == null ? null : PortGuidHolder.PLACEHOLDER))
                .shownAs(() -> fabricManagerArgv(program, guid == null ? null : guid.planned().argument()))
                .argvAtRun(() -> fabricManagerArgv(program, guid == null ? null : guid.require(FABRIC_MANAGER).guid()))
                .awaitMarker(readiness.marker(), timeout)
                .note("readiness", readiness.why())
                .build();
    }

    /** What counts as Fabric Manager being ready, and how sure that is. */
    record Readiness(String marker, String why) {}

    /**
     * Fabric Manager's readiness on {@code nvlink} in {@code mode}: NVLink 3 has no in-band
     * probing, so its readiness is the line that says every NVSwitch is programmed; NVLink 4 and 5
     * log {@value #FM_MARKER}. Where a rule has not been seen on real hardware the plan says so.
     */
    static Readiness readiness(NvLink nvlink, Mode mode) {
        boolean serviceVm = mode.isServiceVm();
        return switch (nvlink) {
            case NVL3 -> new Readiness(FM_SWITCHES_CONFIGURED, "NVLink 3 (A100) has no in-band NVLink probing and"
                    + " logs no \"" + FM_MARKER + "\": ready once every NVSwitch is programmed (unverified on"
                    + " A100 hardware: scripts/gpu-check.sh fm-log confirms it)");
            case NVL4 -> new Readiness(FM_MARKER, serviceVm
                    ? "NVLink 4 service VM (FABRIC_MODE=1, no GPUs): the in-band line as upstream (unverified without"
                            + " GPUs in the VM: scripts/gpu-check.sh fm-log confirms it)"
                    : "NVLink 4 (Hopper): in-band NVLink probing is the last step of the start, as upstream");
            case NVL5 -> new Readiness(FM_MARKER, "NVLink 5 (Blackwell): in-band NVLink probing is the last step of"
                    + " the start, as upstream" + (serviceVm ? " (service VM unverified: scripts/gpu-check.sh fm-log)" : ""));
            case NONE -> throw new IllegalArgumentException("no fabric, no Fabric Manager");
        };
    }

    private static List<String> fabricManagerArgv(String program, String portGuid) {
        List<String> a = new ArrayList<>(List.of(program, "-c", FabricManagerConfigStep.RUN_CONFIG));
        if (portGuid != null) {
            a.add("-g");
            a.add(portGuid);
        }
        return a;
    }

    private static void addFabricManager(List<Step> steps, ModeDecision decision, BootConfig config,
            GuestLayout layout, PortGuidHolder guid) {
        steps.add(new FabricManagerConfigStep(layout, decision.fabricMode(), decision.railPolicy()));
        steps.add(fabricManager(layout, DaemonWait.NV_FABRICMANAGER.of(config).orElseThrow(), guid,
                readiness(decision.nvlink(), decision.mode())));
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
