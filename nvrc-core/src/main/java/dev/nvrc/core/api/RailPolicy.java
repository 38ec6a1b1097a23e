package dev.nvrc.core.api;

import java.util.Locale;

/**
 * Fabric Manager's {@code PARTITION_RAIL_POLICY}, set by {@code nvrc.fm.rail.policy} or by the
 * fabric. Which policy a fabric gets and which it refuses is the mode decision's rule: NVLink 5 is
 * symmetric only ({@link ModeDecision}).
 */
public enum RailPolicy {
    /** {@code greedy}: the default of NVLink 3 and 4 fabrics. */
    GREEDY,
    /** {@code symmetric}: the only policy of an NVLink 5 fabric, allowed on NVLink 4 too. */
    SYMMETRIC;

    /**
     * The value written to Fabric Manager's config and given on the command line.
     *
     * @return the lower-case name, {@code greedy} or {@code symmetric}
     */
    public String canonical() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The {@link #canonical()} name. */
    @Override
    public String toString() {
        return canonical();
    }
}
