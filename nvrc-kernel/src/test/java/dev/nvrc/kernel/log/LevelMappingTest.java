package dev.nvrc.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.libc.ErrnoText;
import java.util.ListResourceBundle;
import java.util.ResourceBundle;
import org.junit.jupiter.api.Test;

class LevelMappingTest {
    @Test
    void tinylogLevelsMapOneToOne() {
        assertThat(LevelMapping.of(org.tinylog.Level.TRACE)).isEqualTo(LogLevel.TRACE);
        assertThat(LevelMapping.of(org.tinylog.Level.DEBUG)).isEqualTo(LogLevel.DEBUG);
        assertThat(LevelMapping.of(org.tinylog.Level.INFO)).isEqualTo(LogLevel.INFO);
        assertThat(LevelMapping.of(org.tinylog.Level.WARN)).isEqualTo(LogLevel.WARN);
        assertThat(LevelMapping.of(org.tinylog.Level.ERROR)).isEqualTo(LogLevel.ERROR);
        assertThat(LevelMapping.of(org.tinylog.Level.OFF)).isEqualTo(LogLevel.OFF);
    }

    @Test
    void systemLoggerLevelsMapToTheNearestNvrcLevel() {
        assertThat(LevelMapping.of(System.Logger.Level.ALL)).isEqualTo(LogLevel.TRACE);
        assertThat(LevelMapping.of(System.Logger.Level.TRACE)).isEqualTo(LogLevel.TRACE);
        assertThat(LevelMapping.of(System.Logger.Level.DEBUG)).isEqualTo(LogLevel.DEBUG);
        assertThat(LevelMapping.of(System.Logger.Level.INFO)).isEqualTo(LogLevel.INFO);
        assertThat(LevelMapping.of(System.Logger.Level.WARNING)).isEqualTo(LogLevel.WARN);
        assertThat(LevelMapping.of(System.Logger.Level.ERROR)).isEqualTo(LogLevel.ERROR);
        assertThat(LevelMapping.of(System.Logger.Level.OFF)).isEqualTo(LogLevel.OFF);
        assertThat(LevelMapping.toTinylog(System.Logger.Level.ALL)).isEqualTo(org.tinylog.Level.TRACE);
        assertThat(LevelMapping.toTinylog(System.Logger.Level.WARNING)).isEqualTo(org.tinylog.Level.WARN);
        assertThat(LevelMapping.toTinylog(System.Logger.Level.OFF)).isEqualTo(org.tinylog.Level.OFF);
    }

    @Test
    void systemLoggerOffIsNeverLoggableAndBundlesLocalise() throws Exception {
        KernelSystemLogger logger = new KernelSystemLogger("x");
        assertThat(logger.getName()).isEqualTo("x");
        KernelLog.setLevel(LogLevel.TRACE);
        java.nio.file.Path kmsg = java.nio.file.Files.createTempFile("kmsg", ".txt");
        try {
            KernelLog.useKmsg(kmsg);
            assertThat(logger.isLoggable(System.Logger.Level.OFF)).isFalse();
            ResourceBundle bundle = new ListResourceBundle() {
                @Override
                protected Object[][] getContents() {
                    return new Object[][] {{"gpu.ready", "GPU {0} ready"}};
                }
            };
            logger.log(System.Logger.Level.INFO, bundle, "gpu.ready", "3");
            logger.log(System.Logger.Level.INFO, bundle, "not.a.key", (Throwable) null);
            assertThat(java.nio.file.Files.readAllLines(kmsg)).containsExactly("<6>nvrc: GPU 3 ready", "<6>nvrc: not.a.key");
        } finally {
            KernelLog.setLevel(LogLevel.OFF);
            KernelLog.useConsole();
            java.nio.file.Files.delete(kmsg);
        }
    }

    @Test
    void errnoValuesAreNamed() {
        assertThat(ErrnoText.of(1)).isEqualTo("EPERM (Operation not permitted)");
        assertThat(ErrnoText.name(30)).isEqualTo("EROFS");
        assertThat(ErrnoText.of(99_999)).isEqualTo("errno 99999");
        assertThat(ErrnoText.name(99_999)).isEqualTo("errno 99999");
    }

    @Test
    void theKmsgWriterNeedsNoStackWalk() {
        KmsgWriter writer = new KmsgWriter();
        assertThat(writer.getRequiredLogEntryValues())
                .containsExactlyInAnyOrder(org.tinylog.core.LogEntryValue.LEVEL, org.tinylog.core.LogEntryValue.MESSAGE,
                        org.tinylog.core.LogEntryValue.EXCEPTION);
        writer.flush();
        writer.close();
    }
}
