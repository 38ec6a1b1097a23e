package dev.nvrc.vmtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One finished VM boot: its console, what it amounts to, and the agent's report parsed. */
public final class VmRun {
    private static final Pattern CHECK = Pattern.compile("(?m)^AGENT-CHECK (\\S+) (ok|FAIL)(?: (.*?))?\\s*$");

    private final String cmdline;
    private final String console;
    private final Outcome outcome;
    private final int attempts;
    private final Duration wallTime;

    VmRun(String cmdline, String console, Outcome outcome, int attempts, Duration wallTime) {
        this.cmdline = cmdline;
        this.console = console;
        this.outcome = outcome;
        this.attempts = attempts;
        this.wallTime = wallTime;
    }

    /** Builds a run from a console (tests of code that reads runs). */
    public static VmRun of(String cmdline, String console, boolean timedOut) {
        return new VmRun(cmdline, console, ConsoleClassifier.classify(console, timedOut), 1, Duration.ZERO);
    }

    /** How the boot ended. */
    public Outcome outcome() {
        return outcome;
    }

    /** The whole serial console (kernel messages, the init's and the agent's lines), {@code \n} line ends. */
    public String console() {
        return console;
    }

    /** The line saying what went wrong ({@link ConsoleClassifier#failedLine}), or empty. */
    public Optional<String> failedLine() {
        return ConsoleClassifier.failedLine(console);
    }

    /** The kernel command line the VM booted with. */
    public String cmdline() {
        return cmdline;
    }

    /** 1, or 2 when a JVM crash was retried. */
    public int attempts() {
        return attempts;
    }

    /** QEMU's wall-clock time. */
    public Duration wallTime() {
        return wallTime;
    }

    /** The agent's checks in order: name to {@code ok ...} or {@code FAIL ...} with the detail. */
    public Map<String, String> agentChecks() {
        Map<String, String> checks = new LinkedHashMap<>();
        Matcher m = CHECK.matcher(console);
        while (m.find()) {
            checks.put(m.group(1), m.group(3) == null ? m.group(2) : m.group(2) + " " + m.group(3));
        }
        return checks;
    }

    /** The lines between a {@code BEGIN} marker line and its {@code END} line, if the agent printed them. */
    public Optional<String> section(String begin, String end) {
        List<String> lines = console.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(begin)) {
                StringBuilder text = new StringBuilder();
                for (int k = i + 1; k < lines.size() && !lines.get(k).equals(end); k++) {
                    text.append(lines.get(k)).append('\n');
                }
                return Optional.of(text.toString());
            }
        }
        return Optional.empty();
    }

    /** /run/nvrc/boot.json as the agent found it. */
    public Optional<String> bootJson() {
        return section("BOOT-JSON-BEGIN", "BOOT-JSON-END");
    }

    /** The CDI spec as the agent found it. */
    public Optional<String> cdiSpec() {
        return section("CDI-SPEC-BEGIN", "CDI-SPEC-END");
    }

    /**
     * The simulated NVIDIA tools' calls in order, {@code tool arg...} (their {@code NVSIM} lines
     * from /run/nvsim.log as the agent printed it, else from the kernel log on the console).
     */
    public List<String> nvsimCalls() {
        List<String> calls = new ArrayList<>();
        String text = section("NVSIM-LOG-BEGIN", "NVSIM-LOG-END").orElse(console);
        Matcher m = Pattern.compile("(?m)^(?:\\[\\s*\\d+\\.\\d+\\] )?NVSIM (.*?)\\s*$").matcher(text);
        while (m.find()) {
            calls.add(m.group(1));
        }
        return calls;
    }

    /** Seconds since boot when the agent started. */
    public OptionalDouble agentUptime() {
        return number("AGENT-UPTIME");
    }

    /** Seconds since boot when the kernel started init. */
    public OptionalDouble kernelRunInit() {
        return number("AGENT-KERNEL-RUN-INIT");
    }

    /** The drainer's RssAnon after the handoff and the agent's burst of syslog lines, kB. */
    public OptionalLong drainerRssAnonKb() {
        OptionalDouble v = number("AGENT-DRAINER-RSS-ANON");
        return v.isPresent() ? OptionalLong.of((long) v.getAsDouble()) : OptionalLong.empty();
    }

    private OptionalDouble number(String marker) {
        Matcher m = Pattern.compile("(?m)^" + marker + " (-?\\d+(?:\\.\\d+)?)\\s*$").matcher(console);
        return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
    }

    /** One line for a test failure message: outcome, failed line, where the console is. */
    @Override
    public String toString() {
        return outcome + failedLine().map(l -> ": " + l).orElse("") + " (cmdline: " + cmdline + ", attempts " + attempts
                + ", " + wallTime.toMillis() + " ms)";
    }
}
