package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import java.util.Map;

/**
 * {@code health}: fails the boot when any daemon started so far has ended with a failure, naming
 * it, its exit status and its last lines. Used between the fabric daemons and once more before
 * the handoff.
 */
public final class HealthStep implements Step {
    /** The step's name. */
    public static final String NAME = "health";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(NAME, Map.of("check", "no daemon started so far has failed (exit 0 = forked into the background)"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.daemons().checkHealthy();
    }
}
