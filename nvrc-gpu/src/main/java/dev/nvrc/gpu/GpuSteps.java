package dev.nvrc.gpu;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.topology.Topology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The GPU mode's steps, in groups the launcher interleaves with the fabric and CDI steps.
 *
 * <p>Upstream's order, which the launcher follows:
 * <ol>
 *   <li>{@link #drivers()}: {@code modprobe nvidia}, {@code modprobe nvidia-uvm}
 *   <li>(the NVLink fabric, when the mode decision has one)
 *   <li>{@link #persistenced()}: {@code nvidia-persistenced}, awaited on its readiness marker
 *   <li>{@link #clocksAndPower()}: {@code nvidia-smi -lmc}, {@code -lgc}, {@code -pl}, each if set
 *   <li>{@link #dcgm()}: {@code nv-hostengine}, {@code dcgm-exporter}, if {@code nvrc.dcgm}
 *   <li>(the CDI spec)
 *   <li>{@link #secureRandomizationSeed()}: {@code nvidia-smi conf-compute -srs}, if set
 *   <li>{@link #health()}: every daemon still runs
 * </ol>
 *
 * <p>Each group is a list (possibly empty) so that the launcher can concatenate them. Every
 * nvidia-smi setting is issued once: without {@code -i} nvidia-smi applies it to all GPUs.
 * Programs are taken from the gpu extension when it is present ({@link GpuExtension}).
 */
public final class GpuSteps {
    /**
     * How long a foreground program (modprobe, nvidia-smi) may run. Generous on purpose: loading
     * the driver and initialising 16 GPUs' firmware is slow on a loaded host, and a tool that is
     * merely slow must not cost the VM; the limit exists so that a hung tool ends the boot with
     * a message instead of hanging it forever.
     */
    public static final Duration FOREGROUND_TIMEOUT = Duration.ofSeconds(180);

    /** Step names, stable: they appear in the plan, the boot report and the FAILED line. */
    public static final String MODPROBE_NVIDIA = "modprobe nvidia";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String MODPROBE_NVIDIA_UVM = "modprobe nvidia-uvm";
    /** See {@link #MODPROBE_NVIDIA}. */
    public static final String NVIDIA_PERSISTENCED = PersistencedStep.NAME;
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

    /** The readiness marker of nvidia-persistenced. */
    public static final String PERSISTENCED_MARKER = PersistencedStep.MARKER;

    private static final String MODPROBE = "/sbin/modprobe";
    private static final String NVIDIA_SMI = "/bin/nvidia-smi";
    private static final String DCGM_COUNTERS = "/etc/dcgm-exporter/default-counters.csv";

    private final Config config;
    private final Topology topology;
    private final GpuExtension extension;

    /** The steps for {@code config} on {@code topology}, with the programs found under {@code paths}. */
    public GpuSteps(Config config, Topology topology, NvrcPaths paths) {
        this.config = Objects.requireNonNull(config, "config");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.extension = new GpuExtension(paths);
    }

    /**
     * Loads {@code nvidia}, then {@code nvidia-uvm}. With exactly one GPU there is no NVLink
     * peer, so {@code nvidia} gets {@code NVreg_NvLinkDisable=1}.
     */
    public List<Step> drivers() {
        List<Step> steps = new ArrayList<>(nvidiaDriver());
        steps.add(modprobe(MODPROBE_NVIDIA_UVM, "nvidia-uvm", List.of()));
        return steps;
    }

    /**
     * Loads {@code nvidia} alone, as {@link #drivers()} does first: for a launcher that needs the
     * driver without UVM (the NVLink 4 service VM).
     */
    public List<Step> nvidiaDriver() {
        List<String> params = topology.gpus().size() == 1 ? List.of("NVreg_NvLinkDisable=1") : List.of();
        return List.of(modprobe(MODPROBE_NVIDIA, "nvidia", params));
    }

    /** nvidia-persistenced, with {@code --uvm-persistence-mode} unless {@code nvrc.uvm.persistence.mode} is off. */
    public List<Step> persistenced() {
        return List.of(new PersistencedStep(config.uvmPersistence(),
                config.readinessTimeout(NVIDIA_PERSISTENCED), extension));
    }

    /** Memory clocks, GPU clocks, power limit: in that order, only those that are set. */
    public List<Step> clocksAndPower() {
        List<Step> steps = new ArrayList<>();
        addSmi(steps, SMI_LMC, "-lmc", config.lockedMemoryClocks());
        addSmi(steps, SMI_LGC, "-lgc", config.lockedGpuClocks());
        addSmi(steps, SMI_PL, "-pl", config.powerLimit());
        return steps;
    }

    /** nv-hostengine, then dcgm-exporter, when {@code nvrc.dcgm} is on; otherwise nothing. */
    public List<Step> dcgm() {
        if (!config.dcgm()) {
            return List.of();
        }
        return List.of(
                new DaemonStep(NV_HOSTENGINE, () -> List.of(extension.program("/bin/nv-hostengine"),
                        "--service-account", "nvidia-dcgm", "--home-dir", "/tmp")),
                new DaemonStep(DCGM_EXPORTER, () -> List.of(extension.program("/bin/dcgm-exporter"),
                        "-k", "-f", DCGM_COUNTERS)));
    }

    /** {@code nvidia-smi conf-compute -srs <value>} with the value verbatim, when {@code nvrc.smi.srs} is set. */
    public List<Step> secureRandomizationSeed() {
        return config.secureRandomizationSeed()
                .<List<Step>>map(value -> List.of(nvidiaSmi(SMI_SRS, "conf-compute", "-srs", value)))
                .orElse(List.of());
    }

    /** The health check: every daemon started so far must still run. */
    public List<Step> health() {
        return List.of(new HealthStep());
    }

    /** What the driver prefixes its kernel log lines with; they say why a load failed. */
    static final String NVRM = "NVRM:";
    /** The driver's words when the VM has no NVIDIA GPU. */
    static final String NO_GPU = "No NVIDIA GPU found";

    /** Adds the likely cause when the driver found no GPU. */
    static String noGpuHint(String message) {
        return message.contains(NO_GPU)
                ? message + "; is a GPU passed through to this VM (a vfio-pci device the driver can bind)?"
                : message;
    }

    private Step modprobe(String name, String module, List<String> params) {
        return new ForegroundStep(name, "modprobe", () -> {
            List<String> argv = new ArrayList<>(List.of(MODPROBE));
            if (extension.present()) {
                argv.addAll(List.of("--dirname", GpuExtension.GUEST_ROOT));
            }
            argv.add(module);
            argv.addAll(params);
            return argv;
        }, FOREGROUND_TIMEOUT).explainedBy(List.of(NVRM), GpuSteps::noGpuHint);
    }

    private void addSmi(List<Step> steps, String name, String flag, OptionalInt value) {
        // The kernel command line takes unsigned 32-bit numbers: print them as such.
        value.ifPresent(v -> steps.add(nvidiaSmi(name, flag, Integer.toUnsignedString(v))));
    }

    private Step nvidiaSmi(String name, String... args) {
        return new ForegroundStep(name, "nvidia-smi", () -> {
            List<String> argv = new ArrayList<>(List.of(extension.program(NVIDIA_SMI)));
            argv.addAll(List.of(args));
            return argv;
        }, FOREGROUND_TIMEOUT);
    }
}
