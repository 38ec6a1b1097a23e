package dev.nvrc.core.port;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A program to run: a short name for messages, the full argv (argv[0] is the absolute path that
 * is executed) and the complete environment (nothing is inherited implicitly).
 */
public record Command(String name, List<String> argv, Map<String, String> env) {
    public Command {
        Objects.requireNonNull(name, "name");
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
            throw new IllegalArgumentException("argv[0] must be an absolute path: " + argv);
        }
    }

    /** A command with the init's standard environment. */
    public static Command of(String name, List<String> argv) {
        return new Command(name, argv, DEFAULT_ENV);
    }

    /** The program that is executed. */
    public String program() {
        return argv.get(0);
    }

    /** The environment every child gets unless a step says otherwise. */
    public static final Map<String, String> DEFAULT_ENV =
            Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "HOME", "/");

    /** argv joined by spaces, for log lines. */
    public String commandLine() {
        return String.join(" ", argv);
    }
}
