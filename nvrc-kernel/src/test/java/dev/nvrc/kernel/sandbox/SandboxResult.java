package dev.nvrc.kernel.sandbox;

import dev.nvrc.core.port.ExitStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a scenario run produced: its exit status, its stdout and stderr, the {@code CHECK name=value}
 * lines of stdout as a map, and the wall time from spawning the sandbox to its exit.
 */
public record SandboxResult(String scenario, ExitStatus status, String stdout, String stderr, double wallMillis) {
    /** The {@code CHECK name=value} lines, in order (a repeated name keeps its last value). */
    public Map<String, String> checks() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            if (line.startsWith("CHECK ")) {
                int eq = line.indexOf('=');
                if (eq > 6) {
                    out.put(line.substring(6, eq), line.substring(eq + 1));
                }
            }
        }
        return out;
    }

    /** One check's value, or null. */
    public String check(String name) {
        return checks().get(name);
    }

    /** Everything, for assertion messages. */
    public String describe() {
        return "scenario " + scenario + " ended with " + status + " after " + Math.round(wallMillis) + " ms\n--- stdout\n"
                + stdout + "--- stderr\n" + stderr;
    }
}
