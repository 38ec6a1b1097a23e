package dev.nvrc.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Sysctl;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelLogTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        KernelLog.setLevel(LogLevel.OFF);
        KernelLog.useConsole();
    }

    private Path kmsgFile() throws IOException {
        Path kmsg = dir.resolve("kmsg");
        Files.createFile(kmsg);
        KernelLog.useKmsg(kmsg);
        return kmsg;
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    @Test
    void aTestJvmLogsToTheConsoleNotToTheHostKernelLog() {
        // Set by the class initialiser from the pid: this JVM is not PID 1.
        KernelLog.useConsole();
        assertThat(KernelLog.kmsgPath()).isNull();
        assertThat(KernelLog.writesKmsg()).isFalse();
    }

    @Test
    void writesRecordsAtTheConfiguredLevelOnly() throws IOException {
        Path kmsg = kmsgFile();
        KernelLog.log(LogLevel.ERROR, "not yet: logging starts off");
        KernelLog.setLevel(LogLevel.INFO);
        KernelLog.log(LogLevel.INFO, "info line");
        KernelLog.log(LogLevel.DEBUG, "debug line");
        KernelLog.log(LogLevel.WARN, "warn line");
        assertThat(lines(kmsg)).containsExactly("<6>nvrc: info line", "<4>nvrc: warn line");
        assertThat(KernelLog.writesKmsg()).isTrue();
    }

    @Test
    void theFailureLineIsWrittenEvenWhenLoggingIsOff() throws IOException {
        Path kmsg = kmsgFile();
        KernelLog.writeUnconditionally("FAILED mounts: mount proc on /proc (proc): EPERM");
        assertThat(lines(kmsg)).containsExactly("<3>nvrc: FAILED mounts: mount proc on /proc (proc): EPERM");
    }

    @Test
    void errorsAreSummarisedWithTheirCauses() throws IOException {
        Path kmsg = kmsgFile();
        KernelLog.setLevel(LogLevel.ERROR);
        KernelLog.log(LogLevel.ERROR, "step failed", new IllegalStateException("outer", new IOException("inner")));
        assertThat(lines(kmsg)).containsExactly(
                "<3>nvrc: step failed: java.lang.IllegalStateException: outer; caused by java.io.IOException: inner");
    }

    @Test
    void fallsBackToTheConsoleUntilTheKmsgDeviceExists() throws IOException {
        PrintStream saved = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            Path kmsg = dir.resolve("dev/kmsg");
            KernelLog.useKmsg(kmsg);
            KernelLog.setLevel(LogLevel.INFO);
            KernelLog.log(LogLevel.INFO, "before /dev");
            Files.createDirectories(kmsg.getParent());
            Files.createFile(kmsg);
            KernelLog.log(LogLevel.INFO, "after /dev");
            assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("nvrc: before /dev\n");
            assertThat(lines(kmsg)).containsExactly("<6>nvrc: after /dev");
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void aKmsgThatCannotBeOpenedIsGivenUpForTheConsole() {
        PrintStream saved = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
        try {
            KernelLog.useKmsg(dir); // a directory cannot be opened for writing
            KernelLog.writeUnconditionally("still visible");
            assertThat(console.toString(StandardCharsets.UTF_8))
                    .contains("cannot open " + dir)
                    .endsWith("nvrc: still visible\n");
            assertThat(KernelLog.writesKmsg()).isFalse();
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void eachLevelGetsItsPriorityAndAnErrorIsSummarised() throws IOException {
        Path kmsg = kmsgFile();
        KernelLog.setLevel(LogLevel.TRACE);
        KernelLog.log(LogLevel.TRACE, "t");
        KernelLog.log(LogLevel.DEBUG, "d");
        KernelLog.log(LogLevel.INFO, "i");
        KernelLog.log(LogLevel.WARN, "w");
        KernelLog.log(LogLevel.ERROR, "e", new IOException("disk"));
        assertThat(lines(kmsg)).containsExactly("<7>nvrc: t", "<7>nvrc: d", "<6>nvrc: i", "<4>nvrc: w",
                "<3>nvrc: e: java.io.IOException: disk");
    }

    @Test
    void anEmbeddingJvmsOwnLoggingIsLeftAlone() throws IOException {
        // nvrc-kernel installs no System.LoggerFinder: a JVM that embeds it keeps its own logging.
        Path kmsg = kmsgFile();
        KernelLog.setLevel(LogLevel.TRACE);
        System.Logger logger = System.getLogger("dev.nvrc.gpu.Test");
        assertThat(logger.getClass().getName()).doesNotStartWith("dev.nvrc");
        assertThat(java.util.ServiceLoader.load(System.LoggerFinder.class).findFirst()).isEmpty();
        assertThat(lines(kmsg)).isEmpty();
    }

    @Test
    void configureTurnsOnDevkmsgOnlyWhenLogging() throws BootFailure {
        List<String> writes = new ArrayList<>();
        Sysctl recording = new Sysctl() {
            @Override
            public void write(String key, String value) {
                writes.add(key + "=" + value);
            }

            @Override
            public String read(String key) {
                throw new UnsupportedOperationException();
            }
        };
        KernelLog.configure(LogLevel.OFF, recording);
        assertThat(writes).isEmpty();
        KernelLog.configure(LogLevel.DEBUG, recording);
        assertThat(writes).containsExactly("kernel.printk_devkmsg=on\n");
        assertThat(KernelLog.level()).isEqualTo(LogLevel.DEBUG);
    }
}
