package dev.nvrc.fabric;

import static org.assertj.core.api.Assertions.assertThat;

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
}
