package dev.nvrc.kernel.log;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Sysctl;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The init's kernel log: {@code <PRI>nvrc: message} records in /dev/kmsg.
 *
 * <p>One per process, like the log itself, and nvrc's only logging API: the kernel adapters and
 * the launcher log through {@link #log}; core, gpu and fabric do not log. No framework sits behind
 * it: a logging framework's first use cost about a third of a thousand classes and 0.1 s on a
 * host, 0.5 s of a TCG boot (docs/dependencies.md). The level starts {@link LogLevel#OFF} (upstream
 * logs nothing until {@code nvrc.log} is read) and is changed with {@link #configure}. The failure
 * line is written with {@link #writeUnconditionally} whatever the level.
 *
 * <p>The default target is /dev/kmsg when this process is PID 1 and the console otherwise, so that
 * tools and tests run on a host never write into the host's kernel log.
 */
public final class KernelLog {
    /** The kmsg device of a booted guest. */
    public static final Path DEV_KMSG = Path.of("/dev/kmsg");

    private static volatile LogLevel level = LogLevel.OFF;
    private static volatile KmsgOutput output =
            new KmsgOutput(ProcessHandle.current().pid() == 1 ? DEV_KMSG : null, System.err);

    private KernelLog() {}

    /** The current level. */
    public static LogLevel level() {
        return level;
    }

    /** Sets the level ({@code nvrc.log}). */
    public static void setLevel(LogLevel newLevel) {
        level = Objects.requireNonNull(newLevel, "level");
    }

    /**
     * Sets the level and, when logging is on, {@code kernel.printk_devkmsg = on}: the kernel
     * otherwise rate-limits user-space writes to /dev/kmsg and drops most of a busy boot's lines.
     */
    public static void configure(LogLevel newLevel, Sysctl sysctl) throws BootFailure {
        setLevel(newLevel);
        if (newLevel != LogLevel.OFF) {
            sysctl.write("kernel.printk_devkmsg", "on\n");
        }
    }

    /** True when a message of {@code messageLevel} is written at the current level. */
    public static boolean enabled(LogLevel messageLevel) {
        return level.enables(messageLevel);
    }

    /** Writes {@code message} when {@code messageLevel} is enabled. */
    public static void log(LogLevel messageLevel, String message) {
        log(messageLevel, message, null);
    }

    /** Writes {@code message} and a short account of {@code error} when {@code messageLevel} is enabled. */
    public static void log(LogLevel messageLevel, String message, Throwable error) {
        if (enabled(messageLevel)) {
            output.write(KmsgRecords.records(KmsgRecords.priority(messageLevel), withError(message, error)));
        }
    }

    /**
     * Writes {@code message} at error priority even when logging is off: the one
     * {@code nvrc: FAILED <step>: <reason>} line before the power-off must always be there.
     */
    public static void writeUnconditionally(String message) {
        output.write(KmsgRecords.records(KmsgRecords.PRIORITY_ERROR, message));
    }

    /** Sends records to {@code kmsg} (a device or a plain file) instead, console until it exists. */
    public static void useKmsg(Path kmsg) {
        replace(new KmsgOutput(Objects.requireNonNull(kmsg, "kmsg"), System.err));
    }

    /** Sends records to the console only. */
    public static void useConsole() {
        replace(new KmsgOutput(null, System.err));
    }

    /** The kmsg path records go to when it can be opened, or null for console only. */
    public static Path kmsgPath() {
        return output.kmsg();
    }

    /** True when records currently reach the kmsg device (not the console). */
    public static boolean writesKmsg() {
        return output.writesKmsg();
    }

    private static synchronized void replace(KmsgOutput next) {
        KmsgOutput previous = output;
        output = next;
        previous.close();
    }

    static String withError(String message, Throwable error) {
        String text = message == null ? "" : message;
        if (error == null) {
            return text;
        }
        StringBuilder sb = new StringBuilder(text);
        String sep = text.isEmpty() ? "" : ": ";
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            sb.append(sep).append(t);
            sep = "; caused by ";
        }
        return sb.toString();
    }
}
