package dev.nvrc.kernel.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.cmdline.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KmsgRecordsTest {
    private static List<String> texts(List<byte[]> records) {
        return records.stream().map(r -> new String(r, StandardCharsets.UTF_8)).collect(Collectors.toList());
    }

    @Test
    void aShortMessageIsOneRecordWithPriorityTagAndNewline() {
        assertThat(texts(KmsgRecords.records(6, "hello"))).containsExactly("<6>nvrc: hello\n");
    }

    @Test
    void levelsMapToSyslogSeverities() {
        assertThat(KmsgRecords.priority(LogLevel.ERROR)).isEqualTo(3);
        assertThat(KmsgRecords.priority(LogLevel.WARN)).isEqualTo(4);
        assertThat(KmsgRecords.priority(LogLevel.INFO)).isEqualTo(6);
        assertThat(KmsgRecords.priority(LogLevel.DEBUG)).isEqualTo(7);
        assertThat(KmsgRecords.priority(LogLevel.TRACE)).isEqualTo(7);
    }

    @Test
    void eachLineIsItsOwnRecordAndATrailingNewlineAddsNone() {
        assertThat(texts(KmsgRecords.records(4, "a\r\nb\n\nc\n")))
                .containsExactly("<4>nvrc: a\n", "<4>nvrc: b\n", "<4>nvrc: \n", "<4>nvrc: c\n");
    }

    @Test
    void anEmptyMessageIsOneEmptyRecord() {
        assertThat(texts(KmsgRecords.records(3, ""))).containsExactly("<3>nvrc: \n");
    }

    @Test
    void longAsciiLinesAreSplitBelowTheRecordLimitWithoutLosingBytes() {
        String line = "x".repeat(5000);
        List<byte[]> records = KmsgRecords.records(7, line);
        assertThat(records).allSatisfy(r -> assertThat(r.length).isLessThanOrEqualTo(KmsgRecords.MAX_RECORD_BYTES));
        assertThat(records.get(0).length).isEqualTo(KmsgRecords.MAX_RECORD_BYTES);
        String rejoined = texts(records).stream().map(t -> t.substring("<7>nvrc: ".length(), t.length() - 1))
                .collect(Collectors.joining());
        assertThat(rejoined).isEqualTo(line);
    }

    @Test
    void splitsFallOnUtf8CharacterBoundaries() {
        // 3-byte and 4-byte characters, so that a naive byte cut would land inside one.
        String line = "€😀".repeat(700);
        List<byte[]> records = KmsgRecords.records(6, line);
        assertThat(records).hasSizeGreaterThan(1);
        StringBuilder rejoined = new StringBuilder();
        for (byte[] r : records) {
            assertThat(r.length).isLessThanOrEqualTo(KmsgRecords.MAX_RECORD_BYTES);
            String t = new String(r, StandardCharsets.UTF_8);
            assertThat(t).doesNotContain("\ufffd");
            rejoined.append(t, "<6>nvrc: ".length(), t.length() - 1);
        }
        assertThat(rejoined.toString()).isEqualTo(line);
    }

    @Test
    void cutStepsBackOverContinuationBytes() {
        byte[] text = "a€".getBytes(StandardCharsets.UTF_8); // 61 e2 82 ac
        assertThat(KmsgRecords.cut(text, 0, 2)).isEqualTo(1);
        assertThat(KmsgRecords.cut(text, 0, 3)).isEqualTo(1);
        assertThat(KmsgRecords.cut(text, 0, 4)).isEqualTo(4);
    }
}
