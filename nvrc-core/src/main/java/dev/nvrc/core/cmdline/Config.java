package dev.nvrc.core.cmdline;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The init's whole configuration, as read from the kernel command line.
 *
 * <p>Only {@link ConfigParser#parse} makes one (the constructor is package-private): so every
 * value is valid, and tests that need a configuration write the command line that gives it. An
 * optional setting that was not given is {@code null} from its raw accessor ({@link #smiLgc()}) and
 * empty through the typed ones ({@link #lockedGpuClocks()}). See docs/kernel-parameters.md for each
 * parameter. Two configurations are equal when every setting is.
 */
public final class Config {
    private final Mode mode;
    private final LogLevel log;
    private final Integer smiLgc;
    private final Integer smiLmc;
    private final Integer smiPl;
    private final ConfComputeReadyState smiSrs;
    private final boolean uvmPersistence;
    private final boolean uvmTools;
    private final boolean dcgm;
    private final Integer fmMode;
    private final RailPolicy railPolicy;
    private final Duration timeout;
    private final Map<String, Duration> daemonTimeouts;
    private final CdiBackend cdi;
    private final Map<String, VerityParams> extensions;
    private final List<String> modules;

    /** Readiness timeout when neither {@code nvrc.timeout} nor a per-daemon key is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    /**
     * nvidia-persistenced's readiness timeout when neither {@code nvrc.timeout} nor
     * {@code nvrc.timeout.nvidia-persistenced} is given: upstream raised its 120 s to 600 s after
     * 8-GPU B200 confidential VMs took about 34 s per GPU to come up.
     */
    public static final Duration DEFAULT_PERSISTENCED_TIMEOUT = Duration.ofSeconds(600);

    /**
     * The values {@link ConfigParser} read; see the accessors for what each one is.
     */
    Config(Mode mode, LogLevel log, Integer smiLgc, Integer smiLmc, Integer smiPl, ConfComputeReadyState smiSrs,
            boolean uvmPersistence, boolean uvmTools, boolean dcgm, Integer fmMode, RailPolicy railPolicy, Duration timeout,
            Map<String, Duration> daemonTimeouts, CdiBackend cdi, Map<String, VerityParams> extensions,
            List<String> modules) {
        this.mode = mode;
        this.log = Objects.requireNonNull(log, "log");
        this.smiLgc = smiLgc;
        this.smiLmc = smiLmc;
        this.smiPl = smiPl;
        this.smiSrs = smiSrs;
        this.uvmPersistence = uvmPersistence;
        this.uvmTools = uvmTools;
        this.dcgm = dcgm;
        this.fmMode = fmMode;
        this.railPolicy = railPolicy;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.daemonTimeouts = Map.copyOf(daemonTimeouts);
        this.cdi = Objects.requireNonNull(cdi, "cdi");
        this.extensions = Map.copyOf(extensions);
        this.modules = List.copyOf(modules);
    }

    /** The configuration of an empty command line: literally what {@code ConfigParser.parse("")} gives. */
    public static Config defaults() {
        try {
            return ConfigParser.parse("");
        } catch (InvalidCommandLineException e) {
            throw new IllegalStateException("the empty command line is valid", e);
        }
    }

    /**
     * The per-daemon timeouts that apply when no {@code nvrc.timeout*} key is given: only
     * nvidia-persistenced has its own ({@link #DEFAULT_PERSISTENCED_TIMEOUT}). {@code nvrc.timeout}
     * replaces these defaults; {@code nvrc.timeout.<daemon>} replaces both for its daemon.
     */
    public static Map<String, Duration> defaultDaemonTimeouts() {
        return Map.of(Parameter.Daemons.PERSISTENCED, DEFAULT_PERSISTENCED_TIMEOUT);
    }

    /** {@code nvrc.mode}, or {@code null}: detect from the PCI devices ({@link #explicitMode()}). */
    public Mode mode() {
        return mode;
    }

    /** {@code nvrc.log}. */
    public LogLevel log() {
        return log;
    }

    /** {@code nvrc.smi.lgc} in MHz, or {@code null} ({@link #lockedGpuClocks()}). */
    public Integer smiLgc() {
        return smiLgc;
    }

    /** {@code nvrc.smi.lmc} in MHz, or {@code null} ({@link #lockedMemoryClocks()}). */
    public Integer smiLmc() {
        return smiLmc;
    }

    /** {@code nvrc.smi.pl} in W, or {@code null} ({@link #powerLimit()}). */
    public Integer smiPl() {
        return smiPl;
    }

    /** {@code nvrc.smi.srs}: the confidential-computing ready state, or {@code null}. */
    public ConfComputeReadyState smiSrs() {
        return smiSrs;
    }

    /** {@code nvrc.uvm.persistence.mode}. */
    public boolean uvmPersistence() {
        return uvmPersistence;
    }

    /**
     * {@code nvrc.uvm.tools}: create {@code /dev/nvidia-uvm-tools} (the UVM tools node profilers
     * need) right after {@code nvidia-uvm} is loaded.
     */
    public boolean uvmTools() {
        return uvmTools;
    }

    /** {@code nvrc.dcgm}. */
    public boolean dcgm() {
        return dcgm;
    }

    /** {@code nvrc.fm.mode} (0 or 1), or {@code null}: set by the mode. */
    public Integer fmMode() {
        return fmMode;
    }

    /** {@code nvrc.fm.rail.policy}, or {@code null}: set by the mode. */
    public RailPolicy railPolicy() {
        return railPolicy;
    }

    /** {@code nvrc.timeout}: readiness timeout of every daemon. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * Per-daemon readiness timeouts that differ from {@link #timeout()}: the
     * {@code nvrc.timeout.<daemon>} keys, and the daemons' own defaults when no
     * {@code nvrc.timeout*} key is given ({@link #defaultDaemonTimeouts()}).
     */
    public Map<String, Duration> daemonTimeouts() {
        return daemonTimeouts;
    }

    /** {@code nvrc.cdi}. */
    public CdiBackend cdi() {
        return cdi;
    }

    /** {@code kata.extension.<name>.verity_params} by extension name. */
    public Map<String, VerityParams> extensions() {
        return extensions;
    }

    /**
     * {@code nvrc.modules} (or upstream's {@code nvrc.extra_modules}): extra kernel modules to
     * load, in order (empty when not set).
     */
    public List<String> modules() {
        return modules;
    }

    /** The explicit mode, or empty when it is detected from the hardware. */
    public Optional<Mode> explicitMode() {
        return Optional.ofNullable(mode);
    }

    /** Locked GPU clocks in MHz, if set. */
    public OptionalInt lockedGpuClocks() {
        return smiLgc == null ? OptionalInt.empty() : OptionalInt.of(smiLgc);
    }

    /** Locked memory clocks in MHz, if set. */
    public OptionalInt lockedMemoryClocks() {
        return smiLmc == null ? OptionalInt.empty() : OptionalInt.of(smiLmc);
    }

    /** Power limit in W, if set. */
    public OptionalInt powerLimit() {
        return smiPl == null ? OptionalInt.empty() : OptionalInt.of(smiPl);
    }

    /** The confidential-computing ready state to set ({@code nvidia-smi conf-compute -srs}), if set. */
    public Optional<ConfComputeReadyState> confComputeReadyState() {
        return Optional.ofNullable(smiSrs);
    }

    /** The explicit Fabric Manager mode, if set. */
    public OptionalInt fabricModeOverride() {
        return fmMode == null ? OptionalInt.empty() : OptionalInt.of(fmMode);
    }

    /** The explicit rail policy, if set. */
    public Optional<RailPolicy> railPolicyOverride() {
        return Optional.ofNullable(railPolicy);
    }

    /**
     * The effective value of every parameter by its command-line key, in table order: numbers as
     * {@link Integer}/{@link Long}, booleans as {@link Boolean}, enums as their canonical
     * lower-case string, unset optional settings as {@code null}. Per-daemon timeouts are the
     * effective ones. Extensions follow as {@code kata.extension.<name>.verity_params} maps.
     * This is the contract of {@code nvrc check-cmdline}.
     */
    public java.util.Map<String, Object> effectiveParameters() {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (Parameter p : Parameter.values()) {
            out.put(p.key(), switch (p) {
                case MODE -> mode == null ? null : mode.canonical();
                case LOG -> log.canonical();
                case SMI_LGC -> smiLgc;
                case SMI_LMC -> smiLmc;
                case SMI_PL -> smiPl;
                case SMI_SRS -> smiSrs == null ? null : smiSrs.argument();
                case UVM_PERSISTENCE_MODE -> uvmPersistence;
                case UVM_TOOLS -> uvmTools;
                case DCGM -> dcgm;
                case FM_MODE -> fmMode;
                case FM_RAIL_POLICY -> railPolicy == null ? null : railPolicy.canonical();
                case TIMEOUT -> timeout.toSeconds();
                case TIMEOUT_PERSISTENCED -> readinessTimeout(Parameter.Daemons.PERSISTENCED).toSeconds();
                case TIMEOUT_FABRICMANAGER -> readinessTimeout(Parameter.Daemons.FABRICMANAGER).toSeconds();
                case TIMEOUT_NVLSM -> daemonTimeouts.containsKey(Parameter.Daemons.NVLSM)
                        ? daemonTimeouts.get(Parameter.Daemons.NVLSM).toSeconds() : null;
                case CDI -> cdi.canonical();
                case MODULES -> modules;
            });
        }
        new java.util.TreeMap<>(extensions).forEach((name, v) -> {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("root_hash", v.rootHash());
            m.put("salt", v.salt());
            m.put("data_blocks", v.dataBlocks());
            m.put("data_block_size", v.dataBlockSize());
            m.put("hash_block_size", v.hashBlockSize());
            out.put("kata.extension." + name + ".verity_params", m);
        });
        return out;
    }

    /** How long to wait for {@code daemon}'s readiness marker. */
    public Duration readinessTimeout(String daemon) {
        return daemonTimeouts.getOrDefault(daemon, timeout);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Config c)) {
            return false;
        }
        return uvmPersistence == c.uvmPersistence && uvmTools == c.uvmTools && dcgm == c.dcgm && mode == c.mode && log == c.log
                && Objects.equals(smiLgc, c.smiLgc) && Objects.equals(smiLmc, c.smiLmc)
                && Objects.equals(smiPl, c.smiPl) && smiSrs == c.smiSrs && Objects.equals(fmMode, c.fmMode)
                && railPolicy == c.railPolicy && timeout.equals(c.timeout) && daemonTimeouts.equals(c.daemonTimeouts)
                && cdi == c.cdi && extensions.equals(c.extensions) && modules.equals(c.modules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, log, smiLgc, smiLmc, smiPl, smiSrs, uvmPersistence, uvmTools, dcgm, fmMode, railPolicy,
                timeout, daemonTimeouts, cdi, extensions, modules);
    }

    /** Every setting, for test failures and debugging: the effective parameters. */
    @Override
    public String toString() {
        return "Config" + effectiveParameters();
    }
}
