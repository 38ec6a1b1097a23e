package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;

/**
 * One thing the init does, with a stable name for the plan, the report and the FAILED line.
 *
 * <p>{@link #describe()} must not touch the machine; {@link #run} does the work through the
 * context's ports.
 */
public interface Step {
    /** A stable name ({@code modprobe nvidia}, {@code nvidia-persistenced}, {@code cdi}). */
    String name();

    /** What the step will do, as data, for the plan. */
    PlanEntry describe();

    /** Does the work. */
    void run(BootContext context) throws BootFailure;
}
