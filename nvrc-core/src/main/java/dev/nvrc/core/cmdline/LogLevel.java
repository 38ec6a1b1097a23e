package dev.nvrc.core.cmdline;

import java.util.Locale;

/** {@code nvrc.log}: how much the init writes to the kernel log. */
public enum LogLevel {
    OFF, ERROR, WARN, INFO, DEBUG, TRACE;

    /** The lower-case name used on the command line. */
    public String canonical() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when a message of {@code level} is written at this setting. */
    public boolean enables(LogLevel level) {
        return this != OFF && level != OFF && level.ordinal() <= ordinal();
    }

    @Override
    public String toString() {
        return canonical();
    }
}
