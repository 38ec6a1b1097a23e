package dev.nvrc.core.api;

import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.cmdline.ConfigProblem;
import dev.nvrc.core.cmdline.InvalidCommandLineException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * nvrc's settings as the init reads them from a kernel command line: strictly, with the same rules
 * and messages (docs/kernel-parameters.md), by the same parser that makes the boot's own
 * configuration; a {@code Settings} is the library's view of that configuration. Only {@code nvrc.*} keys and
 * {@code kata.extension.<name>.verity_params} are read; every other token is the kernel's or
 * someone else's and is ignored.
 *
 * <p>Values are given in their command-line spelling: {@link #mode()} is {@code "gpu"},
 * {@code "cpu"}, {@code "nvswitch-nvl4"} or {@code "nvswitch-nvl5"} (aliases resolved),
 * {@link #logLevel()} one of {@code off}, {@code error}, {@code warn}, {@code info},
 * {@code debug}, {@code trace}. Instances are immutable (every field final, every collection
 * returned unmodifiable or a new copy), so one may be shared between threads without
 * synchronization; they compare equal when every setting is.
 *
 * <pre>{@code
 * Settings settings = Settings.parse("quiet nvrc.mode=gpu nvrc.smi.lgc=1980");
 * settings.lockedGpuClocks();   // OptionalInt[1980]
 * }</pre>
 */
public final class Settings {
    private final BootConfig config;

    private Settings(BootConfig config) {
        this.config = config;
    }

    /**
     * Reads the settings of a kernel command line, such as the contents of {@code /proc/cmdline}.
     *
     * @param commandLine the whole command line
     * @return the settings, every value valid
     * @throws NvrcException listing every problem (unknown parameter, malformed value, a setting
     *     that has no effect in the chosen mode), each as {@code token: message}
     */
    public static Settings parse(String commandLine) throws NvrcException {
        Objects.requireNonNull(commandLine, "commandLine");
        try {
            return new Settings(ConfigParser.parse(commandLine));
        } catch (InvalidCommandLineException e) {
            throw new NvrcException(e.problems().stream().map(ConfigProblem::toString).toList(), null);
        }
    }

    /**
     * The settings of an empty command line.
     *
     * @return what {@code parse("")} gives
     */
    public static Settings defaults() {
        return new Settings(BootConfig.defaults());
    }

    /** The boot's configuration this is a view of, for the other api classes. */
    BootConfig config() {
        return config;
    }

    /**
     * {@code nvrc.mode}, canonically spelled.
     *
     * @return the explicit mode, or empty when the init detects it from the PCI devices
     */
    public Optional<String> mode() {
        return config.explicitMode().map(m -> m.canonical());
    }

    /**
     * {@code nvrc.log}.
     *
     * @return the log level, {@code "off"} by default
     */
    public String logLevel() {
        return config.log().canonical();
    }

    /**
     * {@code nvrc.smi.lgc}.
     *
     * @return the locked GPU clocks in MHz, if set
     */
    public OptionalInt lockedGpuClocks() {
        return config.lockedGpuClocks();
    }

    /**
     * {@code nvrc.smi.lmc}.
     *
     * @return the locked memory clocks in MHz, if set
     */
    public OptionalInt lockedMemoryClocks() {
        return config.lockedMemoryClocks();
    }

    /**
     * {@code nvrc.smi.pl}.
     *
     * @return the power limit in W, if set
     */
    public OptionalInt powerLimit() {
        return config.powerLimit();
    }

    /**
     * {@code nvrc.uvm.persistence.mode}.
     *
     * @return whether nvidia-persistenced keeps the UVM state, true by default
     */
    public boolean uvmPersistence() {
        return config.uvmPersistence();
    }

    /**
     * {@code nvrc.uvm.tools}.
     *
     * @return whether the boot creates {@code /dev/nvidia-uvm-tools}, false by default
     */
    public boolean uvmTools() {
        return config.uvmTools();
    }

    /**
     * {@code nvrc.dcgm}.
     *
     * @return whether DCGM runs, false by default
     */
    public boolean dcgm() {
        return config.dcgm();
    }

    /**
     * {@code nvrc.cdi}.
     *
     * @return {@code "native"} (nvrc writes the CDI spec itself, the default) or {@code "ctk"}
     *     (nvidia-ctk does)
     */
    public String cdiBackend() {
        return config.cdi().canonical();
    }

    /**
     * {@code nvrc.modules}, or upstream's name for it, {@code nvrc.extra_modules}.
     *
     * @return the extra kernel modules to load, in order; empty when not set
     */
    public List<String> modules() {
        return config.modules();
    }

    /**
     * The names of the guest extensions given {@code kata.extension.<name>.verity_params}.
     *
     * @return the extension names, sorted
     */
    public Set<String> extensions() {
        return java.util.Collections.unmodifiableSet(new TreeSet<>(config.extensions().keySet()));
    }

    /**
     * How long the boot waits for {@code daemon}, under this command line: for a daemon awaited on
     * its readiness marker ({@link Daemon#NVIDIA_PERSISTENCED}, {@link Daemon#NV_FABRICMANAGER})
     * {@code nvrc.timeout.<daemon>}, else {@code nvrc.timeout}, else the daemon's default (600 s
     * for nvidia-persistenced, 300 s otherwise: nv-fabricmanager, nv-hostengine); for {@link Daemon#NVLSM} how long it must stay up
     * before Fabric Manager starts, {@code nvrc.nvlsm.settle} or 1 s. The answer comes from the
     * rule the boot's daemon steps take their waits from.
     *
     * @param daemon the daemon
     * @return the wait, or empty when the boot does not wait for that daemon
     *     ({@link Daemon#DCGM_EXPORTER})
     */
    public Optional<Duration> readinessTimeout(Daemon daemon) {
        return Objects.requireNonNull(daemon, "daemon").rule().of(config);
    }

    /**
     * {@code nvrc.smi.srs}.
     *
     * @return the confidential-computing ready state the boot sets with
     *     {@code nvidia-smi conf-compute -srs}, 0 or 1 ({@code disabled}, {@code enabled}), if set
     */
    public OptionalInt confComputeReadyState() {
        return config.confComputeReadyState().map(s -> OptionalInt.of(Integer.parseInt(s.argument())))
                .orElse(OptionalInt.empty());
    }

    /**
     * {@code nvrc.fm.mode}, as given (or implied by an explicit service-VM {@code nvrc.mode});
     * {@link ModeDecision#fabricMode()} is what the boot uses.
     *
     * @return Fabric Manager's {@code FABRIC_MODE}, 0 or 1, if set
     */
    public OptionalInt fabricMode() {
        return config.fabricModeOverride();
    }

    /**
     * {@code nvrc.fm.rail.policy}, as given (or implied by an explicit service-VM
     * {@code nvrc.mode}); {@link ModeDecision#railPolicy()} is what the boot uses.
     *
     * @return {@code "greedy"} or {@code "symmetric"}, if set
     */
    public Optional<String> railPolicy() {
        return config.railPolicyOverride().map(p -> p.canonical());
    }

    /**
     * {@code kata.extension.<name>.verity_params}.
     *
     * @param extension the extension's name, such as {@code "gpu"}
     * @return how the init opens that extension with dm-verity, if the command line gives it
     */
    public Optional<VerityParameters> verityParameters(String extension) {
        return Optional.ofNullable(config.extensions().get(Objects.requireNonNull(extension, "extension")));
    }

    /**
     * The effective value of every parameter by its key, in the order of
     * docs/kernel-parameters.md: numbers as {@link Integer} or {@link Long}, booleans as
     * {@link Boolean}, choices as their canonical lower-case string, unset settings as
     * {@code null}, then each extension's {@code kata.extension.<name>.verity_params} as a map.
     * This is what {@code nvrc check-cmdline} prints.
     *
     * @return a new, modifiable map
     */
    public Map<String, Object> effectiveParameters() {
        return config.effectiveParameters();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && config.equals(s.config);
    }

    @Override
    public int hashCode() {
        return config.hashCode();
    }

    @Override
    public String toString() {
        return "Settings" + config.effectiveParameters();
    }
}
