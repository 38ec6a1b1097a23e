package dev.nvrc.core.cmdline;

import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import dev.nvrc.core.api.VerityParameters;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The boot's configuration: what the init runs with, as read from the kernel command line, one
 * value per {@link Parameter} typed as the steps use it (internal values such as {@link LogLevel}
 * and {@link CdiBackend}, each daemon's wait), plus the extensions' verity parameters. The
 * library's {@link dev.nvrc.core.api.Settings} is a view of one, in the api's words; the boot's
 * code takes this class and code outside the boot takes that one (docs/architecture.md).
 *
 * <p>Only {@link ConfigParser#parse} makes one (the constructor is package-private): so every
 * value is valid, and tests that need a configuration write the command line that gives it. There
 * is one accessor per value; an optional setting that was not given is empty
 * ({@link #lockedGpuClocks()}). See docs/kernel-parameters.md for each parameter. Equality,
 * hash code and {@link #effectiveParameters()} come from the values and the descriptors, as a
 * record's would: two configurations are equal when every setting is.
 */
public final class BootConfig {
    /** Readiness timeout when neither {@code nvrc.timeout} nor a per-daemon key is given. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(300);
    /**
     * nvidia-persistenced's readiness timeout when neither {@code nvrc.timeout} nor
     * {@code nvrc.timeout.nvidia-persistenced} is given: upstream raised its 120 s to 600 s after
     * 8-GPU B200 confidential VMs took about 34 s per GPU to come up.
     */
    public static final Duration DEFAULT_PERSISTENCED_TIMEOUT = Duration.ofSeconds(600);
    /**
     * How long nvlsm must stay up before Fabric Manager starts, unless {@code nvrc.nvlsm.settle}
     * says otherwise ({@code nvrc.timeout} does not apply: nvlsm logs no marker to wait for). A bad
     * GUID or config makes NVLSM exit within milliseconds, so this reports such a failure on nvlsm
     * itself instead of as a Fabric Manager timeout minutes later. See {@link DaemonWait#NVLSM}.
     */
    public static final Duration DEFAULT_NVLSM_SETTLE = Duration.ofSeconds(1);

    private final Map<Parameter, Object> values;
    private final Map<String, VerityParameters> extensions;

    /** Every parameter's value ({@code null} when not set), as {@link ConfigParser} read it. */
    BootConfig(Map<Parameter, Object> values, Map<String, VerityParameters> extensions) {
        EnumMap<Parameter, Object> copy = new EnumMap<>(Parameter.class);
        for (Parameter p : Parameter.values()) {
            copy.put(p, values.get(p));
        }
        this.values = Collections.unmodifiableMap(copy);
        this.extensions = Map.copyOf(extensions);
        Objects.requireNonNull(value(Parameter.LOG), "log");
        Objects.requireNonNull(value(Parameter.TIMEOUT), "timeout");
        Objects.requireNonNull(value(Parameter.CDI), "cdi");
    }

    /** The configuration of an empty command line: literally what {@code ConfigParser.parse("")} gives. */
    public static BootConfig defaults() {
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

    /** {@code nvrc.mode}, or empty: the mode is detected from the PCI devices. */
    public Optional<Mode> explicitMode() {
        return Optional.ofNullable((Mode) value(Parameter.MODE));
    }

    /** {@code nvrc.log}. */
    public LogLevel log() {
        return (LogLevel) value(Parameter.LOG);
    }

    /** {@code nvrc.smi.lgc}: locked GPU clocks in MHz, if set. */
    public OptionalInt lockedGpuClocks() {
        return optionalInt(Parameter.SMI_LGC);
    }

    /** {@code nvrc.smi.lmc}: locked memory clocks in MHz, if set. */
    public OptionalInt lockedMemoryClocks() {
        return optionalInt(Parameter.SMI_LMC);
    }

    /** {@code nvrc.smi.pl}: power limit in W, if set. */
    public OptionalInt powerLimit() {
        return optionalInt(Parameter.SMI_PL);
    }

    /** {@code nvrc.smi.srs}: the confidential-computing ready state to set ({@code nvidia-smi conf-compute -srs}), if set. */
    public Optional<ConfComputeReadyState> confComputeReadyState() {
        return Optional.ofNullable((ConfComputeReadyState) value(Parameter.SMI_SRS));
    }

    /** {@code nvrc.uvm.persistence.mode}. */
    public boolean uvmPersistence() {
        return (Boolean) value(Parameter.UVM_PERSISTENCE_MODE);
    }

    /**
     * {@code nvrc.uvm.tools}: create {@code /dev/nvidia-uvm-tools} (the UVM tools node profilers
     * need) right after {@code nvidia-uvm} is loaded.
     */
    public boolean uvmTools() {
        return (Boolean) value(Parameter.UVM_TOOLS);
    }

    /** {@code nvrc.dcgm}. */
    public boolean dcgm() {
        return (Boolean) value(Parameter.DCGM);
    }

    /**
     * {@code nvrc.fm.mode} (0 or 1), if set: given, or filled in by an explicit service-VM mode
     * from the mode decision's rule; otherwise the mode decision sets it.
     */
    public OptionalInt fabricModeOverride() {
        return optionalInt(Parameter.FM_MODE);
    }

    /**
     * {@code nvrc.fm.rail.policy}, if set: given, or filled in by an explicit service-VM mode from
     * the mode decision's rule; otherwise the mode decision sets it.
     */
    public Optional<RailPolicy> railPolicyOverride() {
        return Optional.ofNullable((RailPolicy) value(Parameter.FM_RAIL_POLICY));
    }

    /** {@code nvrc.timeout}: readiness timeout of every daemon. */
    public Duration timeout() {
        return (Duration) value(Parameter.TIMEOUT);
    }

    /**
     * Per-daemon readiness timeouts that differ from {@link #timeout()}: the
     * {@code nvrc.timeout.<daemon>} keys, and the daemons' own defaults when no
     * {@code nvrc.timeout*} key is given ({@link #defaultDaemonTimeouts()}).
     */
    public Map<String, Duration> daemonTimeouts() {
        Map<String, Duration> out = new LinkedHashMap<>();
        for (Parameter p : Parameter.values()) {
            if (p.daemon() != null && value(p) != null) {
                out.put(p.daemon(), (Duration) value(p));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * How long to wait for {@code daemon}'s readiness marker ({@code nvrc.timeout.<daemon>}, else
     * {@code nvrc.timeout}): only meaningful for a daemon that is awaited on a marker; which one
     * is, and how, is {@link DaemonWait}'s rule.
     */
    public Duration readinessTimeout(String daemon) {
        return daemonTimeouts().getOrDefault(daemon, timeout());
    }

    /**
     * {@code nvrc.nvlsm.settle}: how long nvlsm must stay up before Fabric Manager starts (it logs
     * no readiness marker, so this is not a timeout: {@code nvrc.timeout} does not apply).
     */
    public Duration nvlsmSettle() {
        return (Duration) value(Parameter.NVLSM_SETTLE);
    }

    /** {@code nvrc.cdi}. */
    public CdiBackend cdi() {
        return (CdiBackend) value(Parameter.CDI);
    }

    /**
     * {@code nvrc.modules} (or upstream's {@code nvrc.extra_modules}): extra kernel modules to
     * load, in order (empty when not set).
     */
    @SuppressWarnings("unchecked")
    public List<String> modules() {
        return (List<String>) value(Parameter.MODULES);
    }

    /** {@code kata.extension.<name>.verity_params} by extension name. */
    public Map<String, VerityParameters> extensions() {
        return extensions;
    }

    /**
     * The effective value of every parameter by its command-line key, in table order: numbers as
     * {@link Integer}/{@link Long}, booleans as {@link Boolean}, enums as their canonical
     * lower-case string, unset optional settings as {@code null}. A parameter with a fallback
     * (a daemon's timeout) shows the fallback's value when it has none of its own. Extensions
     * follow as {@code kata.extension.<name>.verity_params} maps. This is the contract of
     * {@code nvrc check-cmdline}.
     */
    public Map<String, Object> effectiveParameters() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Parameter p : Parameter.values()) {
            Object v = value(p);
            if (v == null && p.fallback() != null) {
                v = value(p.fallback());
            }
            out.put(p.key(), v == null ? null : p.kind().json(v));
        }
        new TreeMap<>(extensions).forEach((name, v) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("root_hash", v.rootHash());
            m.put("salt", v.salt());
            m.put("data_blocks", v.dataBlocks());
            m.put("data_block_size", v.dataBlockSize());
            m.put("hash_block_size", v.hashBlockSize());
            out.put("kata.extension." + name + ".verity_params", m);
        });
        return out;
    }

    private Object value(Parameter p) {
        return values.get(p);
    }

    private OptionalInt optionalInt(Parameter p) {
        Integer v = (Integer) value(p);
        return v == null ? OptionalInt.empty() : OptionalInt.of(v);
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof BootConfig c && values.equals(c.values) && extensions.equals(c.extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, extensions);
    }

    /** Every setting, for test failures and debugging: the effective parameters. */
    @Override
    public String toString() {
        return "BootConfig" + effectiveParameters();
    }
}
