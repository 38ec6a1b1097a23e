package dev.nvrc.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nvrc.core.report.BootReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class BootReportFileTest {
    private static final ObjectMapper DATABIND = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A report with every kind of value the boot puts in one, and a failure. */
    private static BootReport richReport() {
        BootReport report = new BootReport(() -> 42);
        report.fact("version", "0.1.0 \"quoted\" \\ \u00e9");
        report.fact("jvm_main_uptime_ms", 1234L);
        report.fact("jvm_peak_rss_kb", 45000);
        report.fact("mode_detected", true);
        report.fact("extensions", List.of("gpu", "dcgm"));
        report.fact("nothing", List.of());
        report.step("mount /proc", 1300, 12, true);
        report.step("nvidia-persistenced", 1400, 230, false);
        report.daemon("nvidia-persistenced", 321, java.util.OptionalLong.of(1520));
        report.daemon("dcgm-exporter", 400);
        report.failed("nvidia-persistenced", "did not log \"Local RPC services initialized\"\nwithin 5 s");
        return report;
    }

    @Test
    void theStreamingTextIsWhatDataBindingWrites() throws Exception {
        BootReport report = richReport();
        assertThat(BootReportFile.toJson(report)).isEqualTo(DATABIND.writeValueAsString(report.toMap()));
    }

    @Test
    void anEmptyReportIsTheSameToo() throws Exception {
        BootReport report = new BootReport(() -> 0);
        assertThat(BootReportFile.toJson(report)).isEqualTo(DATABIND.writeValueAsString(report.toMap()));
    }

    @Test
    void theTextReadsBackAsTheReport() throws Exception {
        JsonNode read = DATABIND.readTree(BootReportFile.toJson(richReport()));
        assertThat(read.get("result").asText()).isEqualTo("failed");
        assertThat(read.get("jvm_main_uptime_ms").asLong()).isEqualTo(1234L);
        assertThat(read.get("mode_detected").asBoolean()).isTrue();
        assertThat(read.get("steps")).hasSize(2);
        assertThat(read.get("steps").get(1).get("ok").asBoolean()).isFalse();
        assertThat(read.get("daemons").get(0).get("pid").asLong()).isEqualTo(321);
        assertThat(read.get("daemons").get(0).get("ready_ms").asLong()).isEqualTo(1520);
        assertThat(read.get("daemons").get(1).has("ready_ms")).as("nothing awaited dcgm-exporter").isFalse();
        assertThat(read.get("failure").asText()).contains("\nwithin 5 s");
    }
}
