package dev.nvrc.core.port;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The wording of the ports' failures, in one place: the Linux adapters and the test fakes build
 * their {@link dev.nvrc.core.BootFailure} messages here, so a test that asserts a fake's failure
 * asserts what the VM prints, and the docs can quote one wording.
 */
public final class PortFailures {
    /** How many of a daemon's last lines a failure quotes. */
    public static final int QUOTED_LINES = 5;
    /** How many lines of a foreground program's output a failure quotes. */
    public static final int QUOTED_OUTPUT_LINES = 10;

    private PortFailures() {}

    /** {@code 120 s} for whole seconds, {@code 1500 ms} otherwise. */
    public static String duration(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }

    /** {@code nvidia-persistenced (pid 42)}. */
    public static String daemon(Daemon d) {
        return d.name() + " (pid " + d.pid() + ")";
    }

    /**
     * A tracked daemon ended with a failure while the boot went on:
     * {@code nv-hostengine (pid 42) ended during the boot: exit code 1; last lines: a | b}.
     */
    public static String daemonEnded(Daemon d, ExitStatus status) {
        return daemon(d) + " ended during the boot: " + status + lastLines(d);
    }

    /**
     * A readiness wait ran out:
     * {@code nvidia-persistenced (pid 42) did not log "Local RPC services initialized" within 120 s}.
     */
    public static String markerTimeout(Daemon d, String marker, Duration timeout) {
        return daemon(d) + " did not log \"" + marker + "\" within " + duration(timeout) + lastLines(d);
    }

    /** The daemon ended with a failure before its readiness marker. */
    public static String endedBeforeMarker(Daemon d, String marker, ExitStatus status) {
        return daemon(d) + " ended before logging \"" + marker + "\": " + status + lastLines(d);
    }

    /** The waiting thread was interrupted. */
    public static String markerInterrupted(Daemon d, String marker) {
        return "interrupted while waiting for " + d.name() + " to log \"" + marker + "\"";
    }

    /** A foreground program ended with a failure: {@code modprobe failed: exit code 1 (/sbin/modprobe nvidia); last output: ...}. */
    public static String commandFailed(Command c, ExitStatus status, List<String> output) {
        return c.name() + " failed: " + status + " (" + c.commandLine() + ")" + lastOutput(output);
    }

    /** A foreground program ran past its timeout and was killed. */
    public static String commandTimedOut(Command c, Duration timeout, List<String> output) {
        return c.name() + " did not finish within " + duration(timeout) + " and was killed (" + c.commandLine() + ")"
                + lastOutput(output);
    }

    /** The thread running a foreground program was interrupted. */
    public static String commandInterrupted(Command c) {
        return "interrupted while running " + c.name();
    }

    /** A program could not be started: {@code cannot start nvidia-smi: /bin/nvidia-smi does not exist}. */
    public static String cannotStart(Command c, String why) {
        return "cannot start " + c.name() + ": " + why;
    }

    /**
     * {@code ; last lines: a | b} with the daemon's last {@value #QUOTED_LINES} non-blank lines
     * (stdout, stderr and syslog, oldest first), nothing when it said nothing.
     */
    public static String lastLines(Daemon d) {
        return joined("; last lines: ", d.recentLines(QUOTED_LINES * 2), QUOTED_LINES);
    }

    /** {@code ; last output: a | b} for the last of a program's non-blank output lines, nothing when none. */
    public static String lastOutput(List<String> output) {
        return joined("; last output: ", output, QUOTED_OUTPUT_LINES);
    }

    /**
     * {@code ; kernel log: a | b} for the kernel's {@code lines} that start with one of
     * {@code prefixes} (a driver's own explanation), nothing when none does.
     */
    public static String kernelLog(List<String> lines, List<String> prefixes) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (prefixes.stream().anyMatch(line::startsWith)) {
                kept.add(line);
            }
        }
        return joined("; kernel log: ", kept, QUOTED_OUTPUT_LINES);
    }

    /**
     * {@code prefix} and the last {@code max} non-blank {@code lines}, each stripped, joined with
     * {@code " | "}; empty when none is left. Blank lines are dropped so that a message never ends
     * in a stray separator.
     */
    public static String joined(String prefix, List<String> lines, int max) {
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            if (line != null && !line.isBlank()) {
                kept.add(line.strip());
            }
        }
        if (kept.isEmpty()) {
            return "";
        }
        return prefix + String.join(" | ", kept.subList(Math.max(0, kept.size() - max), kept.size()));
    }
}
