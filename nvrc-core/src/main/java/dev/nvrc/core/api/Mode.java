package dev.nvrc.core.api;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What the VM is for: {@code nvrc.mode}, or what the topology decides ({@link ModeDecision}). */
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

    /**
     * The name the init prints and {@code nvrc.mode} takes first.
     *
     * @return the canonical lower-case name, such as {@code nvswitch-nvl4}
     */
    public String canonical() {
        return canonical;
    }

    /**
     * Whether this is one of the two NVSwitch service VM modes.
     *
     * @return true for {@link #NVSWITCH_NVL4} and {@link #NVSWITCH_NVL5}
     */
    public boolean isServiceVm() {
        return this == NVSWITCH_NVL4 || this == NVSWITCH_NVL5;
    }

    /**
     * Looks a mode up as {@code nvrc.mode} does: by canonical name or alias
     * ({@code servicevm-nvl4}), case-insensitively.
     *
     * @param text the name
     * @return the mode, or empty when no mode has that name
     */
    public static Optional<Mode> parse(String text) {
        return Arrays.stream(values())
                .filter(m -> m.canonical.equalsIgnoreCase(text)
                        || m.aliases.stream().anyMatch(a -> a.equalsIgnoreCase(text)))
                .findFirst();
    }

    /**
     * Every name {@code nvrc.mode} accepts.
     *
     * @return the canonical names first, then the aliases
     */
    public static List<String> spellings() {
        List<String> all = new ArrayList<>();
        for (Mode m : values()) {
            all.add(m.canonical);
        }
        for (Mode m : values()) {
            all.addAll(m.aliases);
        }
        return List.copyOf(all);
    }

    /** The {@link #canonical()} name. */
    @Override
    public String toString() {
        return canonical;
    }
}
