package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.DaemonWait;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.plan.DaemonStep;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.ModuleLoad;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.Walk;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps that bring up an NVLink fabric, handed to the boot's {@link Walk} in order.
 *
 * <p>NVLink 3 and 4 (HGX A100, HGX H100/H200/H800): {@code modprobe nvidia} (service VM only),
 * {@code fabricmanager.cfg}, {@code nv-fabricmanager}, {@code health}.
 *
 * <p>NVLink 5 (HGX B200/B300/B100): {@code modprobe ib_umad}, {@code modprobe mlx5_ib}, the
 * decision {@code infiniband port guid} ({@link PortGuidDecision}), then, built from the port it
 * decided, {@code nvlsm}, {@code health}, {@code fabricmanager.cfg}, {@code nv-fabricmanager},
 * {@code health}. No NVIDIA module is loaded here.
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
    /** Step name and daemon name: starts NVLSM (its settle time is {@code nvrc.nvlsm.settle}). */
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

    private final ModeDecision decision;
    private final BootConfig config;
    private final GuestLayout layout;
    private final Duration nvlsmSettle;

    private FabricSteps(ModeDecision decision, BootConfig config, GuestLayout layout, Duration nvlsmSettle) {
        this.decision = decision;
        this.config = config;
        this.layout = layout;
        this.nvlsmSettle = nvlsmSettle;
    }

    /**
     * The fabric bring-up for {@code decision}, with the programs where {@code layout} puts them;
     * checked before any step is walked, so a decision that cannot be brought up stops the boot
     * before the mode's first step. {@link #walk} hands its steps on; nothing when the decision has
     * no fabric.
     *
     * @throws BootFailure when the decision cannot be brought up: a service VM mode that contradicts
     *     the fabric (a FABRIC_MODE other than 0 or 1, or NVLink 5 with the greedy rail policy, cannot
     *     even be decided: see {@link ModeDecision} and
     *     {@link dev.nvrc.core.topology.ModeDetector#railPolicyAllowed})
     */
    public static FabricSteps forDecision(ModeDecision decision, BootConfig config, GuestLayout layout) throws BootFailure {
        return forDecision(decision, config, layout, nvlsmSettleTime(config));
    }

    /**
     * As {@link #forDecision(ModeDecision, BootConfig, GuestLayout)} with NVLSM's settle time given: the
     * tests' zero, which no command line can ask for ({@code nvrc.nvlsm.settle} is at least 1 s),
     * so that they never sleep.
     */
    static FabricSteps forDecision(ModeDecision decision, BootConfig config, GuestLayout layout, Duration nvlsmSettle)
            throws BootFailure {
        check(decision);
        return new FabricSteps(decision, config, layout, nvlsmSettle);
    }

    /**
     * Hands {@code walk} the fabric's steps in upstream's order. On NVLink 5 the port GUID is
     * decided after {@code mlx5_ib} has made the InfiniBand devices, and NVLSM's and Fabric
     * Manager's steps are built from what it decided.
     */
    public void walk(Walk walk) throws BootFailure {
        if (decision.nvlink().isNvSwitchFabric()) {
            List<Step> steps = new ArrayList<>();
            if (decision.mode() == Mode.NVSWITCH_NVL4) {
                steps.add(ModuleLoad.step("nvidia", List.of(), layout));
            }
            steps.addAll(fabricManagerSteps(null));
            walk.run(steps);
        } else if (decision.nvlink() == NvLink.NVL5) {
            walk.run(List.of(ModuleLoad.step("ib_umad", List.of(), layout), ModuleLoad.step("mlx5_ib", List.of(), layout)));
            ManagedPort port = walk.decide(new PortGuidDecision());
            List<Step> steps = new ArrayList<>(List.of(nvlsm(layout, nvlsmSettle, port), new HealthStep()));
            steps.addAll(fabricManagerSteps(port));
            walk.run(steps);
        }
    }

    /** The settle time for a command line: {@link DaemonWait#NVLSM}'s rule. */
    static Duration nvlsmSettleTime(BootConfig config) {
        return DaemonWait.NVLSM.of(config).orElseThrow();
    }

    /** {@code nvlsm -F <conf> -g <port GUID> -f stdout}, ready when it is still running after the settle time. */
    static Step nvlsm(GuestLayout layout, Duration settle, ManagedPort port) {
        String program = layout.path("/sbin/nvlsm");
        String conf = layout.path(NVLSM_CONFIG);
        return DaemonStep.named(NVLSM, List.of(program, "-F", conf, "-g", port.guid(), "-f", "stdout"))
                .prepare("requires", conf, context -> {
                    if (!Files.isRegularFile(context.paths().resolve(conf))) {
                        throw new BootFailure("NVLSM config " + conf + " is missing: the image must ship it with nvlsm");
                    }
                })
                .settle(settle)
                .build();
    }

    /**
     * {@code nv-fabricmanager -c /run/fabricmanager.cfg} (with {@code -g <port GUID>} on NVLink 5,
     * {@code port} null on NVLink 3 and 4), awaited on its generation's readiness line.
     */
    static Step fabricManager(GuestLayout layout, Duration timeout, ManagedPort port, Readiness readiness) {
        String program = layout.path("/bin/nv-fabricmanager");
        return DaemonStep.named(FABRIC_MANAGER, fabricManagerArgv(program, port == null ? null : port.guid()))
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

    /** {@code fabricmanager.cfg}, {@code nv-fabricmanager} and {@code health}; {@code port} null before NVLink 5. */
    private List<Step> fabricManagerSteps(ManagedPort port) {
        return List.of(new FabricManagerConfigStep(layout, decision.fabricMode(), decision.railPolicy()),
                fabricManager(layout, DaemonWait.NV_FABRICMANAGER.of(config).orElseThrow(), port,
                        readiness(decision.nvlink(), decision.mode())),
                new HealthStep());
    }

    private static void check(ModeDecision d) throws BootFailure {
        if (d.nvlink() == NvLink.NONE) {
            if (d.mode().isServiceVm()) {
                throw new BootFailure("mode " + d.mode() + " is an NVSwitch service VM, but no NVLink fabric was"
                        + " decided for it");
            }
            return;
        }
        // FABRIC_MODE is 0 or 1 and NVLink 5 is symmetric: ModeDecision cannot be built otherwise.
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
