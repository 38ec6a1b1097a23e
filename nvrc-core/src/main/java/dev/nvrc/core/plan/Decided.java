package dev.nvrc.core.plan;

import java.util.Objects;

/**
 * A decision together with what it decided, as the boot and the plan list it among the steps.
 * It has nothing left to do: running it again is a bug.
 *
 * @param <T> the decided value
 * @param decision the decision
 * @param value what it decided
 */
public record Decided<T>(Decision<T> decision, T value) implements Step {
    public Decided {
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String name() {
        return decision.name();
    }

    @Override
    public PlanEntry describe() {
        return decision.describe(value);
    }

    @Override
    public void run(BootContext context) {
        throw new IllegalStateException(name() + " is decided already");
    }
}
