package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import java.util.Map;

/**
 * {@code health}: fails the boot when any daemon followed so far has ended (or a launcher that
 * forks its daemon has failed), naming it, its exit status and its last lines; see
 * {@link TrackedDaemons}. Used between the fabric daemons and once more before
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
        return PlanEntry.of(NAME, Map.of("check", "no daemon followed so far has ended (a launcher that forked its daemon exits 0)"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.daemons().checkHealthy();
    }
}
