package dev.nvrc.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import org.junit.jupiter.api.Test;

class TextsTest {
    @Test
    void quotesControlCharactersVisibly() {
        assertThat(Texts.quote("a\tb\r\n\u0000\u007f")).isEqualTo("'a\\tb\\r\\n\\x00\\x7f'");
    }

    @Test
    void cutsLongTextAndSaysHowLongItWas() {
        String quoted = Texts.quote("x".repeat(200));

        assertThat(quoted).startsWith("'" + "x".repeat(Texts.QUOTE_LIMIT) + "'").endsWith("... (200 characters)");
    }

    @Test
    void reasonsLeaveOutTheHostPath() {
        assertThat(Texts.reason(new NoSuchFileException("/tmp/junit1/run/x"))).isEqualTo("no such file or directory");
        assertThat(Texts.reason(new AccessDeniedException("/tmp/junit1/run/x"))).isEqualTo("permission denied");
        assertThat(Texts.reason(new NotDirectoryException("/tmp/junit1/sys"))).isEqualTo("not a directory");
        assertThat(Texts.reason(new FileSystemException("/tmp/junit1/run/x", null, "Is a directory")))
                .isEqualTo("Is a directory");
        assertThat(Texts.reason(new IOException("disk on fire"))).isEqualTo("disk on fire");
        assertThat(Texts.reason(new IOException())).isEqualTo("I/O error"); // words, never a class name
    }
}
