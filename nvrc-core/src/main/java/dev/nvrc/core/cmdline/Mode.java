package dev.nvrc.core.cmdline;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What the VM is for. */
public enum Mode {
    /** GPUs for containers (the default): drivers, persistenced, settings, CDI. */
    GPU("gpu"),
    /** No GPU work at all. */
    CPU("cpu"),
    /** NVSwitch service VM for NVLink 4 (HGX H100/H200/H800): Fabric Manager. */
    NVSWITCH_NVL4("nvswitch-nvl4", "servicevm-nvl4"),
    /** NVSwitch service VM for NVLink 5 (HGX B200/B300/B100): NVLSM and Fabric Manager. */
    NVSWITCH_NVL5("nvswitch-nvl5", "servicevm-nvl5");

    private final String canonical;
    private final List<String> aliases;

    Mode(String canonical, String... aliases) {
        this.canonical = canonical;
        this.aliases = List.of(aliases);
    }

    /** The canonical lower-case name ({@code nvswitch-nvl4}). */
    public String canonical() {
        return canonical;
    }

    /** True for the two NVSwitch service VM modes. */
    public boolean isServiceVm() {
        return this == NVSWITCH_NVL4 || this == NVSWITCH_NVL5;
    }

    /** Looks a mode up by canonical name or alias, case-insensitively. */
    public static Optional<Mode> parse(String text) {
        return Arrays.stream(values())
                .filter(m -> m.canonical.equalsIgnoreCase(text)
                        || m.aliases.stream().anyMatch(a -> a.equalsIgnoreCase(text)))
                .findFirst();
    }

    /** Every accepted spelling, canonical names first. */
    public static List<String> spellings() {
        List<String> all = new java.util.ArrayList<>();
        for (Mode m : values()) {
            all.add(m.canonical);
        }
        for (Mode m : values()) {
            all.addAll(m.aliases);
        }
        return all;
    }

    @Override
    public String toString() {
        return canonical;
    }
}
