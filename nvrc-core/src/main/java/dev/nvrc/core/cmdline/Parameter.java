package dev.nvrc.core.cmdline;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every {@code nvrc.*} parameter the init understands. docs/kernel-parameters.md describes each.
 *
 * <p>A parameter may also answer to upstream NVRC's name for the same setting (an alias, such as
 * {@code nvrc.extra_modules} for {@link #MODULES}), so that a command line written for upstream
 * boots unchanged; the parameter's own key is the one nvrc prints.
 */
public enum Parameter {
    MODE("nvrc.mode"),
    LOG("nvrc.log"),
    SMI_LGC("nvrc.smi.lgc"),
    SMI_LMC("nvrc.smi.lmc"),
    SMI_PL("nvrc.smi.pl"),
    SMI_SRS("nvrc.smi.srs"),
    UVM_PERSISTENCE_MODE("nvrc.uvm.persistence.mode"),
    UVM_TOOLS("nvrc.uvm.tools"),
    DCGM("nvrc.dcgm"),
    FM_MODE("nvrc.fm.mode"),
    FM_RAIL_POLICY("nvrc.fm.rail.policy"),
    TIMEOUT("nvrc.timeout"),
    TIMEOUT_PERSISTENCED("nvrc.timeout." + Daemons.PERSISTENCED),
    TIMEOUT_FABRICMANAGER("nvrc.timeout." + Daemons.FABRICMANAGER),
    TIMEOUT_NVLSM("nvrc.timeout." + Daemons.NVLSM),
    CDI("nvrc.cdi"),
    MODULES("nvrc.modules", "nvrc.extra_modules");

    private final String key;
    private final List<String> aliases;

    Parameter(String key, String... aliases) {
        this.key = key;
        this.aliases = List.of(aliases);
    }

    /** The key as written on the command line. */
    public String key() {
        return key;
    }

    /** Upstream NVRC's other names for this parameter (empty for most). */
    public List<String> aliases() {
        return aliases;
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
        /** nvlsm, which logs no marker: its value is how long it must stay up before Fabric Manager starts. */
        public static final String NVLSM = "nvlsm";

        private Daemons() {}
    }
}
