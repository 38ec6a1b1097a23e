package dev.nvrc.testkit;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Decision;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.Walk;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A walk as the boot takes it, without the launcher's runner (its timing, report and fail path):
 * each step run and each decision decided and applied, in order, against the fakes' context; the
 * first failure is thrown and {@link #current()} names the step or decision it came from.
 */
public final class RunningWalk implements Walk {
    private BootContext context;
    private final List<String> taken = new ArrayList<>();

    /** A walk in {@code context}; {@link #configured} replaces its configuration. */
    public RunningWalk(BootContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    @Override
    public void run(List<Step> steps) throws BootFailure {
        for (Step step : steps) {
            taken.add(step.name());
            step.run(context);
        }
    }

    @Override
    public <T> T decide(Decision<T> decision) throws BootFailure {
        taken.add(decision.name());
        T decided = decision.decide(context);
        decision.apply(decided, context);
        return decided;
    }

    @Override
    public void configured(BootConfig config) {
        context = new BootContext(config, context.paths(), context.ports(), context.daemons());
    }

    /** The names of the steps and decisions taken, the failed one included. */
    public List<String> taken() {
        return List.copyOf(taken);
    }

    /** The step or decision taken last (the failed one after a failure), or {@code null} before any. */
    public String current() {
        return taken.isEmpty() ? null : taken.get(taken.size() - 1);
    }
}
