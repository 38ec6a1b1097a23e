package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;

/**
 * A point of the boot that decides a value the later steps are built from (the configuration,
 * the guest layout, the mode), and returns it: nothing is read back out of a step. The boot
 * decides and then applies; a plan only decides, against a tree it reads and never changes, and
 * shows {@link #describe(Object)} of what it decided, as the boot report does.
 *
 * @param <T> the decided value, immutable
 */
public interface Decision<T> {
    /** A stable name, as a step's ({@code cmdline}, {@code extensions}, {@code topology}). */
    String name();

    /** Decides, reading the machine through {@code context} and changing nothing. */
    T decide(BootContext context) throws BootFailure;

    /**
     * What a plan takes as decided, reading the tree through {@code context}: {@link #decide} by
     * default. A decision whose input exists only once earlier steps have run (the InfiniBand port
     * appears after {@code mlx5_ib} is loaded) returns a stand-in here where the tree lacks it, so
     * that a plan can show the steps built from it; a boot never calls this.
     */
    default T plan(BootContext context) throws BootFailure {
        return decide(context);
    }

    /**
     * What the boot does with the decided value before the next step (the log level, the report's
     * facts, a log line); a plan never calls it. Nothing by default.
     */
    default void apply(T decided, BootContext context) throws BootFailure {}

    /** The plan's entry for {@code decided}. */
    PlanEntry describe(T decided);
}
