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
 * <p>Every value is valid (the parser rejects anything else); an optional setting that was not
 * given is {@code null} in the record and empty through the accessors below. See
 * docs/kernel-parameters.md for each parameter.
 *
 * @param mode {@code nvrc.mode}, or {@code null}: detect from the PCI devices
 * @param log {@code nvrc.log}
 * @param smiLgc {@code nvrc.smi.lgc} in MHz, or {@code null}
 * @param smiLmc {@code nvrc.smi.lmc} in MHz, or {@code null}
 * @param smiPl {@code nvrc.smi.pl} in W, or {@code null}
 * @param smiSrs {@code nvrc.smi.srs}: the confidential-computing ready state, or {@code null}
 * @param uvmPersistence {@code nvrc.uvm.persistence.mode}
 * @param dcgm {@code nvrc.dcgm}
 * @param fmMode {@code nvrc.fm.mode} (0 or 1), or {@code null}: set by the mode
 * @param railPolicy {@code nvrc.fm.rail.policy}, or {@code null}: set by the mode
 * @param timeout {@code nvrc.timeout}: readiness timeout of every daemon
 * @param daemonTimeouts per-daemon readiness timeouts that differ from {@code timeout}: the
 *     {@code nvrc.timeout.<daemon>} keys, and the daemons' own defaults when no
 *     {@code nvrc.timeout*} key is given ({@link #defaultDaemonTimeouts()})
 * @param cdi {@code nvrc.cdi}
 * @param extensions {@code kata.extension.<name>.verity_params} by extension name
 * @param modules {@code nvrc.modules}: extra kernel modules to load, in order (empty when not set)
 */
public record Config(
        Mode mode,
        LogLevel log,
        Integer smiLgc,
        Integer smiLmc,
        Integer smiPl,
        ConfComputeReadyState smiSrs,
        boolean uvmPersistence,
        boolean dcgm,
        Integer fmMode,
        RailPolicy railPolicy,
        Duration timeout,
        Map<String, Duration> daemonTimeouts,
        CdiBackend cdi,
        Map<String, VerityParams> extensions,
        List<String> modules) {

    /** Readiness timeout when neither {@code nvrc.timeout} nor a per-daemon key is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    /**
     * nvidia-persistenced's readiness timeout when neither {@code nvrc.timeout} nor
     * {@code nvrc.timeout.nvidia-persistenced} is given: upstream raised its 120 s to 600 s after
     * 8-GPU B200 confidential VMs took about 34 s per GPU to come up.
     */
    public static final Duration DEFAULT_PERSISTENCED_TIMEOUT = Duration.ofSeconds(600);

    public Config {
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(cdi, "cdi");
        daemonTimeouts = Map.copyOf(daemonTimeouts);
        extensions = Map.copyOf(extensions);
        modules = List.copyOf(modules);
    }

    /** The configuration of an empty command line. */
    public static Config defaults() {
        return new Config(null, LogLevel.OFF, null, null, null, null, true, false, null, null,
                DEFAULT_TIMEOUT, defaultDaemonTimeouts(), CdiBackend.NATIVE, Map.of(), List.of());
    }

    /**
     * The per-daemon timeouts that apply when no {@code nvrc.timeout*} key is given: only
     * nvidia-persistenced has its own ({@link #DEFAULT_PERSISTENCED_TIMEOUT}). {@code nvrc.timeout}
     * replaces these defaults; {@code nvrc.timeout.<daemon>} replaces both for its daemon.
     */
    public static Map<String, Duration> defaultDaemonTimeouts() {
        return Map.of(Parameter.Daemons.PERSISTENCED, DEFAULT_PERSISTENCED_TIMEOUT);
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
}
