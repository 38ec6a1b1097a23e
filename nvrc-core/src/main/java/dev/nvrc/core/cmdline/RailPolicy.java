package dev.nvrc.core.cmdline;

import java.util.Locale;

/** {@code nvrc.fm.rail.policy}: Fabric Manager's PARTITION_RAIL_POLICY. */
public enum RailPolicy {
    GREEDY, SYMMETRIC;

    /**
     * The NVLink 5 rule, kept here only: NVLink 5 partitions (HGX B200/B300/B100) need the
     * symmetric policy, so greedy is refused there, explicit or detected.
     */
    public boolean allowedOnNvLink5() {
        return this == SYMMETRIC;
    }

    /** The policy a fabric gets when {@code nvrc.fm.rail.policy} does not say: symmetric on NVLink 5, greedy otherwise. */
    public static RailPolicy defaultFor(boolean nvLink5) {
        return nvLink5 ? SYMMETRIC : GREEDY;
    }

    /** The lower-case value written to the Fabric Manager config. */
    public String canonical() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
