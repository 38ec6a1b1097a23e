package dev.nvrc.core.cmdline;

import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.api.RailPolicy;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Every {@code nvrc.*} parameter the init understands. docs/kernel-parameters.md describes each.
 *
 * <p>A parameter may also answer to upstream NVRC's name for the same setting (an alias, such as
 * {@code nvrc.extra_modules} for {@link #MODULES}), so that a command line written for upstream
 * boots unchanged; the parameter's own key is the one nvrc prints.
 *
 * <p>This is the one table of parameters: each constant is a parameter's descriptor (key,
 * aliases, how its value is read and bounded, its default, the modes in which it has an effect,
 * a one-line doc). {@link ConfigParser} reads every parameter through it, {@link BootConfig} keeps one
 * value per parameter and prints them from it, and a test checks docs/kernel-parameters.md
 * against it. Rules about modes and fabrics live in the mode decision
 * ({@code dev.nvrc.core.topology.ModeDetector}), not here.
 */
public enum Parameter {
    MODE("nvrc.mode", ValueKind.choice(Mode.spellings(), s -> Mode.parse(s).orElseThrow(), v -> ((Mode) v).canonical()),
            null, Effect.EVERY_MODE, "What the VM is for; detected from the PCI devices when not given."),
    LOG("nvrc.log", ValueKind.logLevel(), LogLevel.OFF, Effect.EVERY_MODE,
            "How much nvrc writes to the kernel log."),
    SMI_LGC("nvrc.smi.lgc", ValueKind.number(ConfigParser.MAX_CLOCK_MHZ, "MHz"), null, Effect.GPU,
            "Locks the GPU clocks of all GPUs (nvidia-smi -lgc N)."),
    SMI_LMC("nvrc.smi.lmc", ValueKind.number(ConfigParser.MAX_CLOCK_MHZ, "MHz"), null, Effect.GPU,
            "Locks the memory clocks of all GPUs (nvidia-smi -lmc N)."),
    SMI_PL("nvrc.smi.pl", ValueKind.number(ConfigParser.MAX_POWER_W, "W"), null, Effect.GPU,
            "Power limit of all GPUs (nvidia-smi -pl N)."),
    SMI_SRS("nvrc.smi.srs", ValueKind.choice(List.of("1", "0", "enabled", "disabled"), ConfComputeReadyState::of,
            v -> ((ConfComputeReadyState) v).argument()), null, Effect.GPU,
            "Confidential-computing ready state (nvidia-smi conf-compute -srs N)."),
    UVM_PERSISTENCE_MODE("nvrc.uvm.persistence.mode", ValueKind.bool(), true, Effect.GPU,
            "Starts nvidia-persistenced with --uvm-persistence-mode."),
    UVM_TOOLS("nvrc.uvm.tools", ValueKind.bool(), false, Effect.GPU,
            "Creates /dev/nvidia-uvm-tools after modprobe nvidia-uvm."),
    DCGM("nvrc.dcgm", ValueKind.bool(), false, Effect.GPU, "Starts DCGM: nv-hostengine, then dcgm-exporter."),
    FM_MODE("nvrc.fm.mode", ValueKind.choice(List.of("0", "1"), Integer::valueOf, v -> v), null, Effect.FABRIC,
            "Fabric Manager's FABRIC_MODE; set by the mode decision when not given."),
    FM_RAIL_POLICY("nvrc.fm.rail.policy", ValueKind.choice(RailPolicy.class), null, Effect.FABRIC,
            "Fabric Manager's PARTITION_RAIL_POLICY; set by the mode decision when not given."),
    TIMEOUT("nvrc.timeout", ValueKind.seconds(ConfigParser.MAX_TIMEOUT_S), BootConfig.DEFAULT_TIMEOUT, Effect.FABRIC,
            "How long nvrc waits for each daemon's readiness marker."),
    TIMEOUT_PERSISTENCED("nvrc.timeout." + Daemons.PERSISTENCED, ValueKind.seconds(ConfigParser.MAX_TIMEOUT_S),
            BootConfig.DEFAULT_PERSISTENCED_TIMEOUT, TIMEOUT, Effect.GPU, "Readiness timeout of nvidia-persistenced alone."),
    TIMEOUT_FABRICMANAGER("nvrc.timeout." + Daemons.FABRICMANAGER, ValueKind.seconds(ConfigParser.MAX_TIMEOUT_S), null,
            TIMEOUT, Effect.FABRIC, "Readiness timeout of Fabric Manager alone."),
    TIMEOUT_HOSTENGINE("nvrc.timeout." + Daemons.HOSTENGINE, ValueKind.seconds(ConfigParser.MAX_TIMEOUT_S), null,
            TIMEOUT, Effect.GPU, "Readiness timeout of nv-hostengine (DCGM) alone."),
    NVLSM_SETTLE("nvrc.nvlsm.settle", ValueKind.seconds(ConfigParser.MAX_TIMEOUT_S), BootConfig.DEFAULT_NVLSM_SETTLE,
            Effect.FABRIC, "How long NVLSM must stay up before Fabric Manager starts (NVLink 5): a settle time, not"
                    + " a timeout, since NVLSM logs no readiness marker."),
    CDI("nvrc.cdi", ValueKind.choice(CdiBackend.class), CdiBackend.NATIVE, Effect.GPU,
            "Who writes the CDI spec: nvrc's own generator or nvidia-ctk."),
    MODULES("nvrc.modules", List.of("nvrc.extra_modules"), ValueKind.modules(), List.of(), null, Effect.EVERY_MODE,
            "Extra kernel modules, loaded in the order given, in every mode.");

    /** The modes in which a parameter has an effect; given in another explicit mode it is refused. */
    private static final class Effect {
        static final Set<Mode> EVERY_MODE = Collections.unmodifiableSet(EnumSet.allOf(Mode.class));
        /** GPU work: only gpu mode. */
        static final Set<Mode> GPU = Collections.unmodifiableSet(EnumSet.of(Mode.GPU));
        /** Fabric and daemon settings: every mode but cpu, which runs neither. */
        static final Set<Mode> FABRIC = Collections.unmodifiableSet(EnumSet.complementOf(EnumSet.of(Mode.CPU)));

        private Effect() {}
    }

    private final String key;
    private final List<String> aliases;
    private final ValueKind kind;
    private final Object defaultValue;
    private final Parameter fallback;
    private final Set<Mode> modes;
    private final String doc;

    Parameter(String key, ValueKind kind, Object defaultValue, Set<Mode> modes, String doc) {
        this(key, List.of(), kind, defaultValue, null, modes, doc);
    }

    Parameter(String key, ValueKind kind, Object defaultValue, Parameter fallback, Set<Mode> modes, String doc) {
        this(key, List.of(), kind, defaultValue, fallback, modes, doc);
    }

    Parameter(String key, List<String> aliases, ValueKind kind, Object defaultValue, Parameter fallback,
            Set<Mode> modes, String doc) {
        this.key = key;
        this.aliases = List.copyOf(aliases);
        this.kind = kind;
        this.defaultValue = defaultValue;
        this.fallback = fallback;
        this.modes = Set.copyOf(modes);
        this.doc = doc;
    }

    /** The key as written on the command line, and the JSON name {@code check-cmdline} prints. */
    public String key() {
        return key;
    }

    /** Upstream NVRC's other names for this parameter (empty for most). */
    public List<String> aliases() {
        return aliases;
    }

    /** The modes in which the parameter has an effect: given with another explicit {@code nvrc.mode}, it is refused. */
    public Set<Mode> modes() {
        return modes;
    }

    /** One line on what the parameter does (docs/kernel-parameters.md says more). */
    public String doc() {
        return doc;
    }

    /**
     * The default as docs/kernel-parameters.md writes it ({@code on}, {@code 300}, {@code native},
     * {@code none}), or empty when the parameter is not set unless given (or set by the mode, or by
     * its fallback parameter).
     */
    public Optional<String> defaultDoc() {
        return defaultValue == null ? Optional.empty() : Optional.of(kind.doc(defaultValue));
    }

    /** How the value is read. */
    ValueKind kind() {
        return kind;
    }

    /**
     * The value when the parameter is not given: its default, but none when its fallback parameter
     * is given (a given {@code nvrc.timeout} replaces nvidia-persistenced's own 600 s).
     */
    Object defaultValue(Set<Parameter> given) {
        return fallback != null && given.contains(fallback) ? null : defaultValue;
    }

    /** The parameter whose value applies when this one has none ({@code nvrc.timeout} for a daemon's), or {@code null}. */
    Parameter fallback() {
        return fallback;
    }

    /** The daemon a {@code nvrc.timeout.<daemon>} parameter is about, or {@code null}. */
    String daemon() {
        return key.startsWith(TIMEOUT.key + ".") ? key.substring(TIMEOUT.key.length() + 1) : null;
    }

    /** Looks a parameter up by its exact key or one of its aliases. */
    public static Optional<Parameter> byKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key) || p.aliases.contains(key)).findFirst();
    }

    /** Every key, aliases after their parameter's key, in table order. */
    public static List<String> keys() {
        List<String> keys = new java.util.ArrayList<>();
        for (Parameter p : values()) {
            keys.add(p.key);
            keys.addAll(p.aliases);
        }
        return List.copyOf(keys);
    }

    /** Names of the daemons whose readiness timeout can be set on its own. */
    public static final class Daemons {
        /** nvidia-persistenced, ready on "Local RPC services initialized". */
        public static final String PERSISTENCED = "nvidia-persistenced";
        /** nv-fabricmanager, ready on "FM starting NvLink Inband". */
        public static final String FABRICMANAGER = "nv-fabricmanager";
        /** nv-hostengine (DCGM, with {@code nvrc.dcgm=on}), ready on "Started host engine version". */
        public static final String HOSTENGINE = "nv-hostengine";
        /** nvlsm, which logs no marker: {@code nvrc.nvlsm.settle}, not a timeout key, says how long it must stay up. */
        public static final String NVLSM = "nvlsm";

        private Daemons() {}
    }
}
