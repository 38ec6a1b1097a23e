package dev.nvrc.core.cmdline;

import java.util.Locale;

/**
 * {@code nvrc.fm.rail.policy}: Fabric Manager's PARTITION_RAIL_POLICY. Which policy a fabric gets
 * and which it refuses is the mode decision's rule ({@code ModeDetector.railPolicyAllowed}).
 */
public enum RailPolicy {
    GREEDY, SYMMETRIC;

    /** The lower-case value written to the Fabric Manager config. */
    public String canonical() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
