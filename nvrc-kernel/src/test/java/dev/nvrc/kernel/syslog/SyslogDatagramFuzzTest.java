package dev.nvrc.kernel.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Any process in the guest can write to /dev/log, so {@link SyslogText#clean} and
 * {@link SyslogMessage#parse} must take any datagram, up to the 64 KiB a datagram may carry, and
 * never throw. The cleaned text is the end of the decoded datagram without its {@code <PRI>} and
 * trailing white space; a tag, when found, is really in the text, and the hand-written tag scanner
 * agrees with the regular expression it replaced ({@link #TAGGED}, the reference).
 */
class SyslogDatagramFuzzTest {
    private static final int MAX_DATAGRAM = 64 * 1024;
    /** The reference for {@link SyslogMessage#parse}: what the tag of a syslog(3) line is. */
    private static final Pattern TAGGED = Pattern.compile(
            "^(?:[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} )?([^\\s\\[\\]:]{1,64})(?:\\[([0-9]{1,10})\\])?: ");

    private static SyslogMessage byRegex(String text) {
        Matcher m = TAGGED.matcher(text);
        if (!m.find()) {
            return new SyslogMessage(text, null, 0);
        }
        return new SyslogMessage(text, m.group(1), m.group(2) == null ? 0 : Long.parseLong(m.group(2)));
    }

    @FuzzTest(maxDuration = "60s")
    void clean(byte[] datagram) {
        check(datagram);
    }

    /** Thousands of syslog(3)-like datagrams, so plain {@code mvn test} explores more than the seeds. */
    @Test
    void grammarBasedRandomDatagrams() {
        Random random = new Random(20261125L);
        List<String> priorities = List.of("", "<13>", "<6>", "<>", "<", ">", "<<6>>", "<999999999999>", "<6", " <6>");
        List<String> stamps = List.of("", "Nov 25 19:00:00 ", "Nov  5 09:00:00 ", "nov 25 19:00:00 ", "Nov 25 19:00 ",
                "NOV 25 19:00:00 ", "Nov 5  09:00:00 ", "Nov 25 19:00:00", "Nov 25 19:00:00\t", "\u0663ov 25 19:00:00 ");
        List<String> idents = List.of("nvidia-persistenced", "nv-fabricmanager", "", "a".repeat(64), "a".repeat(65),
                "with space", "br[acket", "\u00e9t\u00e9", "x:y", "tab\tbed", "v\u000btab", "nb\u00a0sp", "close]d", "Nov");
        List<String> pids = List.of("", "[1]", "[4294967295]", "[99999999999]", "[]", "[-1]", "[12", "[\u0661]",
                "[0123456789]", "[1][2]", "[1 ]");
        List<String> texts = List.of("", ": started", ":  ", ": \u0000", ":", " started", ": \u00ff\u00fe");
        List<String> tails = List.of("", "\n", " \t\r\n", "\u0085", "\u2028", "\u3000", "\u200b");
        int tagged = 0;
        for (int i = 0; i < 20_000; i++) {
            String datagram = pick(random, priorities) + pick(random, stamps) + pick(random, idents) + pick(random, pids)
                    + pick(random, texts) + pick(random, tails);
            byte[] bytes = datagram.getBytes(StandardCharsets.UTF_8);
            if (random.nextInt(10) == 0 && bytes.length > 0) {
                bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80)); // break the UTF-8
            }
            tagged += check(bytes).ident() != null ? 1 : 0;
        }
        assertThat(tagged).isBetween(200, 19_800);
    }

    @Test
    void fullSizeDatagramsOfOneRepeatedByte() {
        for (int b : new int[] {'<', '>', ' ', 0x00, 0x80, 0xc3, 0xff, 'a', '[', ':'}) {
            byte[] datagram = new byte[MAX_DATAGRAM];
            Arrays.fill(datagram, (byte) b);
            check(datagram);
        }
    }

    @Test
    void cleaningAPrefixOfTheBufferIsCleaningACopyOfIt() {
        byte[] buffer = "<13>Nov 25 19:00:00 nvidia-persistenced[42]: Started  \n\u0000garbage".getBytes(StandardCharsets.UTF_8);
        int length = buffer.length - 8;

        assertThat(SyslogText.clean(buffer, length)).isEqualTo(SyslogText.clean(Arrays.copyOf(buffer, length)))
                .isEqualTo("Nov 25 19:00:00 nvidia-persistenced[42]: Started");
    }

    private static SyslogMessage check(byte[] datagram) {
        String decoded = SyslogText.trimTrailingWhitespace(new String(datagram, StandardCharsets.UTF_8));
        String text = SyslogText.clean(datagram);
        assertThat(decoded).endsWith(text);
        if (!text.isEmpty()) {
            assertThat(SyslogText.isUnicodeWhitespace(text.charAt(text.length() - 1))).isFalse();
        }
        if (decoded.startsWith("<") && decoded.indexOf('>') > 0) {
            assertThat(text).isEqualTo(decoded.substring(decoded.indexOf('>') + 1));
        } else {
            assertThat(text).isEqualTo(decoded);
        }
        SyslogMessage message = SyslogMessage.parse(text);
        assertThat(message).isEqualTo(byRegex(text));
        assertThat(message.text()).isEqualTo(text);
        assertThat(message.pid()).isBetween(0L, 9_999_999_999L);
        if (message.ident() == null) {
            assertThat(message.pid()).isZero();
        } else {
            assertThat(message.ident()).hasSizeBetween(1, 64).doesNotContain(" ", ":", "[", "]");
            assertThat(text).contains(message.ident()).contains(": ");
        }
        return message;
    }

    private static String pick(Random random, List<String> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
