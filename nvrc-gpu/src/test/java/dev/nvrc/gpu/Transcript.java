package dev.nvrc.gpu;

import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.testkit.FakeProcessRunner;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Renders what steps plan and what they ran as golden-file text: the plan entries, then one line
 * per command in the form a person can paste into a shell ({@code env -i K=V ... argv}).
 */
final class Transcript {
    private Transcript() {}

    static String render(String title, List<Step> steps, FakeProcessRunner runner) {
        StringBuilder sb = new StringBuilder("# ").append(title).append('\n');
        sb.append("# plan: step: argv {details}\n");
        for (Step step : steps) {
            PlanEntry e = step.describe();
            sb.append(e.step()).append(": ");
            if (!e.argv().isEmpty()) {
                sb.append(shell(e.argv())).append(' ');
            }
            sb.append(e.details()).append('\n');
        }
        sb.append("# commands: run (foreground) or start (daemon), environment, argv\n");
        for (FakeProcessRunner.Call call : runner.calls()) {
            String kind = call.kind() == FakeProcessRunner.Call.Kind.RUN ? "run  " : "start";
            sb.append(kind).append(" env -i ").append(env(call.command().env())).append(' ')
                    .append(shell(call.command().argv())).append('\n');
        }
        return sb.toString();
    }

    private static String env(Map<String, String> env) {
        return new TreeMap<>(env).entrySet().stream().map(e -> shellWord(e.getKey() + "=" + e.getValue()))
                .collect(Collectors.joining(" "));
    }

    private static String shell(List<String> argv) {
        return argv.stream().map(Transcript::shellWord).collect(Collectors.joining(" "));
    }

    private static String shellWord(String word) {
        return word.matches("[A-Za-z0-9_./=:,+-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
