package dev.nvrc.kernel.log;

import dev.nvrc.core.cmdline.LogLevel;

/** Maps the levels of tinylog and of {@link System.Logger} to {@code nvrc.log}'s. */
final class LevelMapping {
    private LevelMapping() {}

    static LogLevel of(org.tinylog.Level level) {
        return switch (level) {
            case TRACE -> LogLevel.TRACE;
            case DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARN -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
            case OFF -> LogLevel.OFF;
        };
    }

    static LogLevel of(System.Logger.Level level) {
        return switch (level) {
            case ALL, TRACE -> LogLevel.TRACE;
            case DEBUG -> LogLevel.DEBUG;
            case INFO -> LogLevel.INFO;
            case WARNING -> LogLevel.WARN;
            case ERROR -> LogLevel.ERROR;
            case OFF -> LogLevel.OFF;
        };
    }

    static org.tinylog.Level toTinylog(System.Logger.Level level) {
        return switch (level) {
            case ALL, TRACE -> org.tinylog.Level.TRACE;
            case DEBUG -> org.tinylog.Level.DEBUG;
            case INFO -> org.tinylog.Level.INFO;
            case WARNING -> org.tinylog.Level.WARN;
            case ERROR -> org.tinylog.Level.ERROR;
            case OFF -> org.tinylog.Level.OFF;
        };
    }
}
