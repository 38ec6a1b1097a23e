package dev.nvrc.plan;

import dev.nvrc.core.plan.PlanEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The plan as JSON, the contract of {@code nvrc plan --json} and of the library's
 * {@code GuestPlan.toJson()}, written here once: an array of objects with {@code "step"},
 * {@code "argv"} where a program runs, and the step's details.
 */
public final class PlanJson {
    private PlanJson() {}

    /** Each entry as the JSON object the plan prints. */
    public static List<Map<String, Object>> objects(List<PlanEntry> plan) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (PlanEntry e : plan) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", e.step());
            if (!e.argv().isEmpty()) {
                m.put("argv", e.argv());
            }
            e.details().forEach(m::putIfAbsent);
            steps.add(m);
        }
        return steps;
    }

    /** The plan as indented JSON, without a final newline. */
    public static String toJson(List<PlanEntry> plan) {
        return PrettyJson.of(objects(plan));
    }
}
