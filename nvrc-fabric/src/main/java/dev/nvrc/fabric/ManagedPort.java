package dev.nvrc.fabric;

import java.util.Objects;

/**
 * The InfiniBand port NVLSM manages and Fabric Manager binds to, as the steps built from it use
 * it: what goes after {@code -g} in their argv, and how the plan and the report show it. At boot
 * it is always a port found ({@link #found}); only a plan holds the stand-ins, for a tree whose
 * devices do not exist yet or where none qualifies.
 *
 * @param guid what goes after {@code -g}: the port's GUID, or in a plan {@link #PLACEHOLDER}
 * @param description the GUID with its device and port, or why it is not known
 */
record ManagedPort(String guid, String description) {
    /** What a plan shows where the GUID will go when the devices do not exist yet. */
    static final String PLACEHOLDER = "<port GUID from " + PortGuidFinder.CLASS_DIR + ">";

    ManagedPort {
        Objects.requireNonNull(guid, "guid");
        Objects.requireNonNull(description, "description");
    }

    /** The port found. */
    static ManagedPort found(PortGuid port) {
        return new ManagedPort(port.guid(), port.toString());
    }

    /** A plan's stand-in where the tree has no InfiniBand devices (they appear once {@code mlx5_ib} is loaded). */
    static ManagedPort notYetKnown() {
        return new ManagedPort(PLACEHOLDER, PLACEHOLDER);
    }

    /** A plan's stand-in where the tree has InfiniBand devices but none qualifies, saying why. */
    static ManagedPort none(String why) {
        return new ManagedPort(PLACEHOLDER, "<none: " + why + ">");
    }
}
