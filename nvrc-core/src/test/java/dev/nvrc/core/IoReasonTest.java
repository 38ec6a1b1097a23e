package dev.nvrc.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class IoReasonTest {
    @Test
    void reasonsLeaveOutTheHostPath() {
        assertThat(IoReason.of(new NoSuchFileException("/tmp/junit1/run/x"))).isEqualTo("no such file or directory");
        assertThat(IoReason.of(new AccessDeniedException("/tmp/junit1/run/x"))).isEqualTo("permission denied");
        assertThat(IoReason.of(new NotDirectoryException("/tmp/junit1/sys"))).isEqualTo("not a directory");
        assertThat(IoReason.of(new FileSystemException("/tmp/junit1/run/x", null, "Is a directory")))
                .isEqualTo("Is a directory");
        assertThat(IoReason.of(new IOException("disk on fire"))).isEqualTo("disk on fire");
        assertThat(IoReason.of(new IOException())).isEqualTo("IOException");
        assertThat(IoReason.of(new java.nio.file.FileAlreadyExistsException("/tmp/junit1/run")))
                .isEqualTo("file exists (a file where a directory should be)");
    }
}
