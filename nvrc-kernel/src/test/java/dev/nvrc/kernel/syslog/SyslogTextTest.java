package dev.nvrc.kernel.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyslogTextTest {
    private static String clean(String s) {
        return SyslogText.clean(s.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "<>x|x",
        "<6>|\"\"",
        "<|<",
        "<abc|<abc",
        "<30>daemon: ready|daemon: ready",
        "no prefix|no prefix",
        "x<6>y|x<6>y",
        "<6>a>b|a>b",
        "<13>Nov 25 10:00:00 persistenced[42]: up|Nov 25 10:00:00 persistenced[42]: up",
    })
    void stripsTheLeadingPriority(String in, String expected) {
        assertThat(clean(in)).isEqualTo(expected);
    }

    @Test
    void emptyDatagramIsEmptyText() {
        assertThat(SyslogText.clean(new byte[0])).isEmpty();
    }

    @Test
    void trailingWhitespaceIsTrimmedBeforeStrippingSoAPrefixOnlyMessageIsEmpty() {
        assertThat(clean("<6>  \n")).isEmpty();
        assertThat(clean("<6>text \t\r\n")).isEqualTo("text");
        assertThat(clean("  leading kept  ")).isEqualTo("  leading kept");
    }

    @Test
    void unicodeWhitespaceIsTrimmedButOtherControlCharactersAreNot() {
        assertThat(clean("a\u00a0\u2003\u3000")).isEqualTo("a");
        assertThat(clean("a\u001f")).isEqualTo("a\u001f");
    }

    @Test
    void invalidUtf8IsDecodedLeniently() {
        byte[] bad = {'<', '6', '>', 'o', 'k', (byte) 0xff, (byte) 0xc3, ' ', (byte) 0xe2, (byte) 0x82};
        assertThat(SyslogText.clean(bad)).isEqualTo("ok\ufffd\ufffd \ufffd");
    }

    @Test
    void onlyTheGivenLengthIsDecoded() {
        byte[] buf = "<6>hello world".getBytes(StandardCharsets.UTF_8);
        assertThat(SyslogText.clean(buf, 8)).isEqualTo("hello");
    }

    @Test
    void sixtyFourKibibyteMessageIsKeptWhole() {
        byte[] big = new byte[64 * 1024];
        Arrays.fill(big, (byte) 'x');
        big[0] = '<';
        big[1] = '3';
        big[2] = '>';
        String text = SyslogText.clean(big);
        assertThat(text).hasSize(64 * 1024 - 3).matches("x+");
    }

    @Test
    void multibyteCharactersSurvive() {
        assertThat(clean("<6>GPU 0 → ready ✓")).isEqualTo("GPU 0 → ready ✓");
    }
}
