package dev.nvrc.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class IoReasonTest {
    @Test
    void namesWhatHappenedNotTheClassOrTheHostPath() {
        assertThat(IoReason.of(new AccessDeniedException("/tmp/junit1/sys/bus/pci/devices"))).isEqualTo("permission denied");
        assertThat(IoReason.of(new NoSuchFileException("/tmp/junit1/run/x"))).isEqualTo("no such file or directory");
        assertThat(IoReason.of(new NotDirectoryException("/tmp/junit1/sys"))).isEqualTo("not a directory");
        assertThat(IoReason.of(new FileSystemLoopException("/x"))).isEqualTo("a symbolic link loop");
        assertThat(IoReason.of(new FileAlreadyExistsException("/tmp/junit1/run"))).isEqualTo("file exists");
        assertThat(IoReason.of(new FileSystemException("/x", null, "Too many levels of symbolic links")))
                .isEqualTo("Too many levels of symbolic links");
        assertThat(IoReason.of(new FileSystemException("/x"))).isEqualTo("error");
        assertThat(IoReason.of(new UnsupportedOperationException())).isEqualTo("not supported on this file system");
        assertThat(IoReason.of(new IOException("Input/output error"))).isEqualTo("Input/output error");
        assertThat(IoReason.of(new IOException())).isEqualTo("I/O error");
    }
}
