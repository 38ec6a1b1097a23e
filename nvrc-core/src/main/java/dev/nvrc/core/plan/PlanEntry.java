package dev.nvrc.core.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A step as the plan shows it.
 *
 * @param step the step's stable name
 * @param argv the program it runs with its arguments, empty when it runs none
 * @param details further facts ({@code "await"}, {@code "timeout_s"}, {@code "path"},
 *     {@code "value"}, ...), values are strings or numbers; kept in insertion order when given as
 *     a {@link LinkedHashMap}, sorted by key otherwise (so that {@code Map.of} gives a stable plan)
 */
public record PlanEntry(String step, List<String> argv, Map<String, Object> details) {
    public PlanEntry {
        Objects.requireNonNull(step, "step");
        argv = List.copyOf(argv);
        details = java.util.Collections.unmodifiableMap(details instanceof LinkedHashMap
                ? new LinkedHashMap<>(details) : new LinkedHashMap<>(new java.util.TreeMap<>(details)));
    }

    /** An entry that runs no program. */
    public static PlanEntry of(String step, Map<String, Object> details) {
        return new PlanEntry(step, List.of(), details);
    }

    /** An entry that runs {@code argv}. */
    public static PlanEntry run(String step, List<String> argv) {
        return new PlanEntry(step, argv, Map.of());
    }

    /** A copy with one more detail. */
    public PlanEntry with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new PlanEntry(step, argv, more);
    }
}
