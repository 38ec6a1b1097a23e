package dev.nvrc.kernel.log;

import dev.nvrc.core.cmdline.LogLevel;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

/**
 * tinylog writer {@code kmsg}: hands every entry to {@link KernelLog}, which applies the
 * {@code nvrc.log} level (tinylog itself is configured at trace, because the level is only known
 * after the kernel command line has been read, long after tinylog froze its configuration).
 */
public final class KmsgWriter implements Writer {
    /** Called by tinylog with the writer's properties (none are used). */
    public KmsgWriter(Map<String, String> properties) {
        // The target and the level belong to KernelLog, not to the tinylog configuration.
    }

    /** Called by tinylog when the writer is declared without properties. */
    public KmsgWriter() {
        this(Map.of());
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        // No class, method or line: tinylog then never walks the stack.
        return EnumSet.of(LogEntryValue.LEVEL, LogEntryValue.MESSAGE, LogEntryValue.EXCEPTION);
    }

    @Override
    public void write(LogEntry entry) {
        LogLevel level = LevelMapping.of(entry.getLevel());
        KernelLog.log(level, entry.getMessage(), entry.getException());
    }

    @Override
    public void flush() {
        // Every record is written when it is logged.
    }

    @Override
    public void close() {
        // The kmsg output outlives tinylog: the failure line is written after everything else.
    }
}
