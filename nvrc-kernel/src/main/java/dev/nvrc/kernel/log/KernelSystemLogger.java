package dev.nvrc.kernel.log;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.tinylog.provider.LoggingProvider;
import org.tinylog.provider.ProviderRegistry;

/** A {@link System.Logger} that logs through tinylog (and so, by default, to {@link KernelLog}). */
final class KernelSystemLogger implements System.Logger {
    private final String name;

    KernelSystemLogger(String name) {
        this.name = name;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return level != Level.OFF && KernelLog.enabled(LevelMapping.of(level));
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        if (isLoggable(level)) {
            emit(level, localize(bundle, message), thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            String pattern = localize(bundle, format);
            String text = params == null || params.length == 0 ? pattern : MessageFormat.format(pattern, params);
            emit(level, text, null);
        }
    }

    private static void emit(Level level, String text, Throwable thrown) {
        LoggingProvider provider = ProviderRegistry.getLoggingProvider();
        provider.log(KernelSystemLogger.class.getName(), null, LevelMapping.toTinylog(level), thrown, null, text);
    }

    private static String localize(ResourceBundle bundle, String key) {
        if (bundle != null && key != null && bundle.containsKey(key)) {
            return bundle.getString(key);
        }
        return key;
    }
}
