package dev.nvrc.kernel.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyslogMessageTest {
    @Test
    void theQuotedTextDropsOnlyALeadingTimestamp() {
        assertThat(SyslogMessage.parse("Dec  3 13:25:01 nvidia-persistenced: Failed to query NVIDIA devices.")
                .textWithoutTimestamp()).isEqualTo("nvidia-persistenced: Failed to query NVIDIA devices.");
        assertThat(SyslogMessage.parse("nvidia-persistenced: no stamp").textWithoutTimestamp())
                .isEqualTo("nvidia-persistenced: no stamp");
        assertThat(SyslogMessage.parse("short").textWithoutTimestamp()).isEqualTo("short");
        assertThat(SyslogMessage.parse("Dec  3 13:25 not a stamp at all").textWithoutTimestamp())
                .isEqualTo("Dec  3 13:25 not a stamp at all");
    }

    @Test
    void parsesTheSyslog3TagAfterTheTimestamp() {
        SyslogMessage m = SyslogMessage.parse("Nov 25 10:00:00 nvidia-persistenced[42]: Local RPC services initialized");
        assertThat(m.identifier()).hasValue("nvidia-persistenced");
        assertThat(m.senderPid()).hasValue(42);
        assertThat(m.text()).endsWith("initialized");
    }

    @Test
    void parsesATagWithoutTimestampOrPid() {
        SyslogMessage m = SyslogMessage.parse("nv-hostengine: started");
        assertThat(m.identifier()).hasValue("nv-hostengine");
        assertThat(m.senderPid()).isEmpty();
    }

    @Test
    void singleDigitDayIsPaddedWithASpace() {
        SyslogMessage m = SyslogMessage.parse("Nov  5 01:02:03 fm[7]: x");
        assertThat(m.identifier()).hasValue("fm");
        assertThat(m.pid()).isEqualTo(7);
    }

    @Test
    void untaggedTextHasNoIdentifier() {
        assertThat(SyslogMessage.parse("just a line").identifier()).isEmpty();
        assertThat(SyslogMessage.parse("two words: not a tag").identifier()).isEmpty();
        assertThat(SyslogMessage.parse("").identifier()).isEmpty();
        assertThat(SyslogMessage.parse("name[abc]: x").identifier()).isEmpty();
    }
}
