package dev.nvrc.core.cmdline;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Every {@code nvrc.*} parameter the init understands. docs/kernel-parameters.md describes each. */
public enum Parameter {
    MODE("nvrc.mode"),
    LOG("nvrc.log"),
    SMI_LGC("nvrc.smi.lgc"),
    SMI_LMC("nvrc.smi.lmc"),
    SMI_PL("nvrc.smi.pl"),
    SMI_SRS("nvrc.smi.srs"),
    UVM_PERSISTENCE_MODE("nvrc.uvm.persistence.mode"),
    DCGM("nvrc.dcgm"),
    FM_MODE("nvrc.fm.mode"),
    FM_RAIL_POLICY("nvrc.fm.rail.policy"),
    TIMEOUT("nvrc.timeout"),
    TIMEOUT_PERSISTENCED("nvrc.timeout." + Daemons.PERSISTENCED),
    TIMEOUT_FABRICMANAGER("nvrc.timeout." + Daemons.FABRICMANAGER),
    TIMEOUT_NVLSM("nvrc.timeout." + Daemons.NVLSM),
    CDI("nvrc.cdi"),
    MODULES("nvrc.modules");

    private final String key;

    Parameter(String key) {
        this.key = key;
    }

    /** The key as written on the command line. */
    public String key() {
        return key;
    }

    /** Looks a parameter up by its exact key. */
    public static Optional<Parameter> byKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
    }

    /** Every key, in table order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(Parameter::key).toList();
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
