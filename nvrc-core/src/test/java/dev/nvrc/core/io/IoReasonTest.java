package dev.nvrc.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class IoReasonTest {
    @Test
    void namesWhatHappenedNotTheClassOrThePath() {
        assertThat(IoReason.of(new AccessDeniedException("/sys/bus/pci/devices"))).isEqualTo("permission denied");
        assertThat(IoReason.of(new NoSuchFileException("/x"))).isEqualTo("not found");
        assertThat(IoReason.of(new NotDirectoryException("/x"))).isEqualTo("not a directory");
        assertThat(IoReason.of(new FileSystemException("/x", null, "Too many levels of symbolic links")))
                .isEqualTo("Too many levels of symbolic links");
        assertThat(IoReason.of(new FileSystemException("/x"))).isEqualTo("error");
        assertThat(IoReason.of(new IOException("Input/output error"))).isEqualTo("Input/output error");
        assertThat(IoReason.of(new IOException())).isEqualTo("I/O error");
    }
}
