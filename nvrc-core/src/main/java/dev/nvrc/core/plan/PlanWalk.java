package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The plan's walk: runs nothing, lists every step, and lists every decision with what
 * {@link Decision#plan} decides against a tree it only reads, so that a plan shows the boot's order
 * with the values the later steps were built from.
 */
public final class PlanWalk implements Walk {
    private final BootContext readOnly;
    private final List<Step> listed = new ArrayList<>();

    /** A plan that reads the machine through {@code readOnly} (whose ports should refuse every change). */
    public PlanWalk(BootContext readOnly) {
        this.readOnly = Objects.requireNonNull(readOnly, "readOnly");
    }

    @Override
    public void run(List<Step> steps) {
        listed.addAll(steps);
    }

    @Override
    public <T> T decide(Decision<T> decision) throws BootFailure {
        T value = decision.plan(readOnly);
        listed.add(new Decided<>(decision, value));
        return value;
    }

    /** Every step and decision walked so far, in order; a decision as its {@link Decided}. */
    public List<Step> steps() {
        return List.copyOf(listed);
    }

    /** The plan's entries of {@link #steps()}. */
    public List<PlanEntry> entries() {
        return listed.stream().map(Step::describe).toList();
    }
}
