package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import java.util.List;

/**
 * What the boot or a plan does at each point of the boot's order. The order is written once, as
 * code that hands this walk its steps and decisions in turn and builds the later steps from what
 * each decision returned; the boot runs and decides, a plan ({@link PlanWalk}) lists and decides
 * against a tree it only reads.
 */
public interface Walk {
    /** Runs (boot) or lists (plan) {@code steps}, in order. */
    void run(List<Step> steps) throws BootFailure;

    /** Decides (and at boot applies) {@code decision}, returning what it decided. */
    <T> T decide(Decision<T> decision) throws BootFailure;

    /** The configuration is known: the steps after it see it in their context. Nothing by default. */
    default void configured(BootConfig config) {}
}
