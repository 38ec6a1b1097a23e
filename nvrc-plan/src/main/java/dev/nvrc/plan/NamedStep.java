package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A step made of a name, its plan details and an action: for the wiring-specific steps. */
public record NamedStep(String name, Map<String, Object> details, Action action) implements Step {
    /** Copies the details, in their order: a step's description does not change after it is built. */
    public NamedStep {
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    /** What the step does. */
    public interface Action {
        /** Does the step's work. */
        void run(BootContext context) throws BootFailure;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(name, details);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        action.run(context);
    }
}
