package dev.nvrc.vmtest;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides a boot's {@link Outcome} from its serial console (QEMU's exit status says nothing: it
 * is 0 after a power-off and after a panic alike).
 */
public final class ConsoleClassifier {
    /** The JVM's crash banner (hs_err header). */
    static final String JVM_CRASH_BANNER = "# A fatal error has been detected by the Java Runtime Environment";
    /** What the kernel prints when it powers off. */
    static final String POWER_DOWN = "reboot: Power down";
    private static final Pattern AGENT_DONE = Pattern.compile("(?m)^AGENT-DONE passed=(\\d+) failed=(\\d+)\\s*$");
    /** The init's failure line; a doubled {@code nvrc: } tag is tolerated here, scenario tests check the format. */
    private static final Pattern INIT_FAILED =
            Pattern.compile("(?m)^(?:\\[\\s*\\d+\\.\\d+\\] )?(?:nvrc: )*(nvrc: FAILED [^\\n]*?)\\s*$");
    private static final Pattern CHECK_FAILED = Pattern.compile("(?m)^(AGENT-CHECK \\S+ FAIL[^\\n]*?)\\s*$");
    private static final Pattern PANIC = Pattern.compile("(?m)^(?:\\[\\s*\\d+\\.\\d+\\] )?(Kernel panic - [^\\n]*?)\\s*$");

    private ConsoleClassifier() {}

    /** The outcome of a boot whose console is {@code console}; {@code timedOut}: it was killed. */
    public static Outcome classify(String console, boolean timedOut) {
        if (console.contains(JVM_CRASH_BANNER)) {
            return Outcome.JVM_CRASH;
        }
        Matcher done = AGENT_DONE.matcher(console);
        if (done.find()) {
            boolean clean = done.group(2).equals("0") && !CHECK_FAILED.matcher(console).find()
                    && console.indexOf(POWER_DOWN, done.end()) >= 0;
            return clean ? Outcome.HANDOFF_OK : Outcome.AGENT_CHECKS_FAILED;
        }
        if (PANIC.matcher(console).find()) {
            return Outcome.KERNEL_PANIC;
        }
        Matcher failed = INIT_FAILED.matcher(console);
        if (failed.find() && console.indexOf(POWER_DOWN, failed.end()) >= 0) {
            return Outcome.INIT_FAILED;
        }
        if (timedOut) {
            return Outcome.TIMEOUT;
        }
        return console.contains("AGENT-START") ? Outcome.AGENT_CHECKS_FAILED : Outcome.UNCLASSIFIED;
    }

    /**
     * The line that says what went wrong: the init's {@code nvrc: FAILED ...} line (without the
     * kernel's timestamp), else the first failed agent check, else the kernel's panic line.
     */
    public static Optional<String> failedLine(String console) {
        for (Pattern p : new Pattern[] {INIT_FAILED, CHECK_FAILED, PANIC}) {
            Matcher m = p.matcher(console);
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
