package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.DaemonWait;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.plan.DaemonStep;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.ModuleLoad;
import dev.nvrc.core.plan.ProgramStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.topology.ModeDetector;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;

/**
 * The GPU mode's steps, in groups the launcher interleaves with the fabric and CDI steps.
 *
 * <p>Upstream's order, which the launcher follows:
 * <ol>
 *   <li>{@link #drivers()}: {@code modprobe nvidia}, {@code modprobe nvidia-uvm}, the UVM tools
 *       node if {@code nvrc.uvm.tools}
 *   <li>(the NVLink fabric, when the mode decision has one)
 *   <li>{@link #persistenced()}: {@code nvidia-persistenced}, awaited on its readiness marker
 *   <li>{@link #clocksAndPower()}: {@code nvidia-smi -lmc}, {@code -lgc}, {@code -pl}, each if set
 *   <li>{@link #dcgm()}: {@code nv-hostengine}, {@code dcgm-exporter}, if {@code nvrc.dcgm}
 *   <li>(the CDI spec)
 *   <li>{@link #confComputeReadyState()}: {@code nvidia-smi conf-compute -srs}, if set
 *   <li>{@link #health()}: every daemon still runs
 * </ol>
 *
 * <p>Each group is a list (possibly empty) so that the launcher can concatenate them. Every
 * nvidia-smi setting is issued once: without {@code -i} nvidia-smi applies it to all GPUs.
 * Programs are where the {@link GuestLayout} puts them (the gpu extension, when there is one).
 * The steps are uses of core's toolkit: {@link ModuleLoad}, {@link ProgramStep}, {@link DaemonStep}.
 */
public final class GpuSteps {
    /** How long a foreground nvidia-smi may run: as long as a module load, for the same reasons. */
    public static final Duration FOREGROUND_TIMEOUT = ModuleLoad.TIMEOUT;

    /** Step names, stable: they appear in the plan, the boot report and the FAILED line. */
    public static final String MODPROBE_NVIDIA = "modprobe nvidia";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String MODPROBE_NVIDIA_UVM = "modprobe nvidia-uvm";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String NVIDIA_PERSISTENCED = "nvidia-persistenced";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String SMI_LMC = "nvidia-smi -lmc";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String SMI_LGC = "nvidia-smi -lgc";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String SMI_PL = "nvidia-smi -pl";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String SMI_SRS = "nvidia-smi conf-compute -srs";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String NV_HOSTENGINE = "nv-hostengine";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String DCGM_EXPORTER = "dcgm-exporter";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String HEALTH = HealthStep.NAME;

    /** What nvidia-persistenced logs once its RPC server is up. */
    public static final String PERSISTENCED_MARKER = "Local RPC services initialized";
    /** nvidia-persistenced's runtime directory (its RPC socket), created before it starts. */
    public static final String PERSISTENCED_RUNTIME_DIR = "/var/run/nvidia-persistenced";
    /**
     * Where nvidia-persistenced's forked daemon writes its pid before it tells its parent it is
     * ready ({@code NVPD_PID_FILE} in NVIDIA's nvidia-persistenced sources: the runtime directory
     * and the daemon's name): the process nvrc follows.
     */
    public static final String PERSISTENCED_PID_FILE = PERSISTENCED_RUNTIME_DIR + "/nvidia-persistenced.pid";

    /**
     * What {@code nv-hostengine -n} prints on stdout once its server listens (DCGM's
     * hostengine/src/main.cpp), followed by the version and the port: its readiness.
     */
    public static final String HOSTENGINE_MARKER = "Started host engine version";
    /** The address nv-hostengine listens on by default (DCGM's command line: 127.0.0.1, port 5555) and the exporter connects to. */
    public static final String HOSTENGINE_ADDRESS = "localhost:5555";
    /**
     * nv-hostengine's pid file under {@code /run}: its default, {@code /var/run/nvhostengine.pid},
     * may be on a read-only root. With {@code -n} nv-hostengine writes none (it writes it only when
     * it daemonizes), but no path it is given points at the root.
     */
    public static final String HOSTENGINE_PID_FILE = "/run/nvhostengine.pid";
    /** nv-hostengine's log under {@code /run}: its default, {@code /var/log/nv-hostengine.log}, may be on a read-only root. */
    public static final String HOSTENGINE_LOG_FILE = "/run/nv-hostengine.log";

    /** The option that keeps the UVM state across clients. */
    static final String UVM_FLAG = "--uvm-persistence-mode";
    /** The first driver whose nvidia-persistenced has {@link #UVM_FLAG} (its option table, upstream). */
    static final String UVM_FLAG_SINCE = "550.40.07";

    private static final String NVIDIA_SMI = "/bin/nvidia-smi";
    private static final String DCGM_COUNTERS = "/etc/dcgm-exporter/default-counters.csv";

    private final BootConfig config;
    private final PciTopology topology;
    private final GuestLayout layout;

    /** The steps for {@code config} on {@code topology}, with the programs where {@code layout} puts them. */
    public GpuSteps(BootConfig config, PciTopology topology, GuestLayout layout) {
        this.config = Objects.requireNonNull(config, "config");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.layout = Objects.requireNonNull(layout, "layout");
    }

    /**
     * Loads {@code nvidia}, then {@code nvidia-uvm}, then (with {@code nvrc.uvm.tools}) creates
     * {@code /dev/nvidia-uvm-tools}. An isolated GPU ({@link ModeDetector#isolatedGpu}) has no NVLink peer,
     * so {@code nvidia} gets {@code NVreg_NvLinkDisable=1}.
     */
    public List<Step> drivers() {
        List<String> params = ModeDetector.isolatedGpu(topology) ? List.of("NVreg_NvLinkDisable=1") : List.of();
        List<Step> steps = new ArrayList<>(List.of(ModuleLoad.step("nvidia", params, layout),
                ModuleLoad.step("nvidia-uvm", List.of(), layout)));
        if (config.uvmTools()) {
            steps.add(new UvmToolsNodeStep());
        }
        return List.copyOf(steps);
    }

    /**
     * nvidia-persistenced, with {@code --uvm-persistence-mode} unless {@code nvrc.uvm.persistence.mode}
     * is off, awaited on {@value #PERSISTENCED_MARKER}; its runtime directory is created first.
     */
    public List<Step> persistenced() {
        List<String> argv = new ArrayList<>(List.of(layout.path("/bin/nvidia-persistenced"), "--verbose"));
        if (config.uvmPersistence()) {
            argv.add(UVM_FLAG);
        }
        return List.of(DaemonStep.named(NVIDIA_PERSISTENCED, argv)
                .prepare("mkdir", PERSISTENCED_RUNTIME_DIR, context -> {
                    Path dir = context.paths().resolve(PERSISTENCED_RUNTIME_DIR);
                    try {
                        Files.createDirectories(dir);
                    } catch (IOException e) {
                        throw new BootFailure("mkdir -p " + PERSISTENCED_RUNTIME_DIR + " (" + dir + "): "
                                + IoReason.of(e), e);
                    }
                })
                .awaitMarker(PERSISTENCED_MARKER, DaemonWait.NVIDIA_PERSISTENCED.of(config).orElseThrow())
                // It always forks (no foreground option in any release): follow the daemon itself.
                .forks(PERSISTENCED_PID_FILE)
                .explainedBy(config.uvmPersistence() ? GpuSteps::uvmFlagHint : UnaryOperator.identity())
                .build());
    }

    /**
     * {@code --uvm-persistence-mode} exists from driver {@value #UVM_FLAG_SINCE} on; every 535
     * release (Debian 12's nvidia-persistenced 535.171.04 among them) answers it with
     * {@code unrecognized option} on stderr and exit 0. No probe runs at boot (one more process on
     * every boot for a fixed fact of the image): the daemon's own words end the boot at once, and
     * this adds the way out.
     */
    static String uvmFlagHint(String message) {
        return message.contains("unrecognized option") && message.contains(UVM_FLAG.substring(2))
                ? message + "; this nvidia-persistenced predates " + UVM_FLAG + " (driver " + UVM_FLAG_SINCE
                        + " and later have it): boot with nvrc.uvm.persistence.mode=off"
                : message;
    }

    /** Memory clocks, GPU clocks, power limit: in that order, only those that are set. */
    public List<Step> clocksAndPower() {
        List<Step> steps = new ArrayList<>();
        addSmi(steps, SMI_LMC, "-lmc", config.lockedMemoryClocks());
        addSmi(steps, SMI_LGC, "-lgc", config.lockedGpuClocks());
        addSmi(steps, SMI_PL, "-pl", config.powerLimit());
        return steps;
    }

    /**
     * One DCGM instance, when {@code nvrc.dcgm} is on; otherwise nothing:
     * <ol>
     *   <li>nv-hostengine with {@code -n} (it stays the process nvrc started; by default it forks
     *       twice, and its first parent exits 0 on failure too), its pid and log files under
     *       {@code /run}, awaited on {@value #HOSTENGINE_MARKER} (on its stdout);
     *   <li>dcgm-exporter connected to it ({@code -r} {@value #HOSTENGINE_ADDRESS}): without
     *       {@code -r} the exporter starts its own embedded DCGM on the same GPUs, a second
     *       instance DCGM does not support. Its counters file is the one of the image that ships
     *       the exporter (the gpu extension's, when there is one), as upstream.
     * </ol>
     */
    public List<Step> dcgm() {
        if (!config.dcgm()) {
            return List.of();
        }
        return List.of(
                DaemonStep.named(NV_HOSTENGINE, List.of(layout.path("/bin/nv-hostengine"), "-n",
                        "--service-account", "nvidia-dcgm", "--home-dir", "/tmp",
                        "--pid", HOSTENGINE_PID_FILE, "--log-filename", HOSTENGINE_LOG_FILE))
                        .awaitMarker(HOSTENGINE_MARKER, DaemonWait.NV_HOSTENGINE.of(config).orElseThrow())
                        .build(),
                DaemonStep.named(DCGM_EXPORTER, List.of(layout.path("/bin/dcgm-exporter"),
                        "-k", "-f", layout.path(DCGM_COUNTERS), "-r", HOSTENGINE_ADDRESS))
                        .note("ready", "not awaited: it exits 1 when it cannot connect to nv-hostengine, which fails the"
                                + " boot at once")
                        .build());
    }

    /**
     * {@code nvidia-smi conf-compute -srs <0|1>}: the confidential-computing ready state, when
     * {@code nvrc.smi.srs} is set.
     */
    public List<Step> confComputeReadyState() {
        return config.confComputeReadyState()
                .<List<Step>>map(state -> List.of(nvidiaSmi(SMI_SRS, "conf-compute", "-srs", state.argument())))
                .orElse(List.of());
    }

    /** The health check: every daemon started so far must still run. */
    public List<Step> health() {
        return List.of(new HealthStep());
    }

    private void addSmi(List<Step> steps, String name, String flag, OptionalInt value) {
        // The kernel command line takes unsigned 32-bit numbers: print them as such.
        value.ifPresent(v -> steps.add(nvidiaSmi(name, flag, Integer.toUnsignedString(v))));
    }

    private Step nvidiaSmi(String name, String... args) {
        List<String> argv = new ArrayList<>(List.of(layout.path(NVIDIA_SMI)));
        argv.addAll(List.of(args));
        return new ProgramStep(name, "nvidia-smi", argv, FOREGROUND_TIMEOUT);
    }
}
