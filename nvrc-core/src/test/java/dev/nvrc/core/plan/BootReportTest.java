package dev.nvrc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.report.BootReport;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BootReportTest {
    @Test
    void recordsStepsDaemonsFactsAndResult() {
        AtomicLong clock = new AtomicLong(1200);
        BootReport r = new BootReport(clock::get);
        assertThat(r.nowMs()).isEqualTo(1200);
        r.fact("mode", "gpu");
        r.step("mount /proc", 1200, 3, true);
        r.daemon("nvidia-persistenced", 77);
        r.step("nvidia-persistenced", 1210, 400, true);
        assertThat(r.result()).isEqualTo("running");
        r.handedOff();
        Map<String, Object> m = r.toMap();
        assertThat(m).containsEntry("result", "handoff").containsEntry("mode", "gpu").doesNotContainKey("failure");
        assertThat(m.get("steps")).isEqualTo(List.of(
                Map.of("step", "mount /proc", "start_ms", 1200L, "duration_ms", 3L, "ok", true),
                Map.of("step", "nvidia-persistenced", "start_ms", 1210L, "duration_ms", 400L, "ok", true)));
        assertThat(m.get("daemons")).isEqualTo(List.of(Map.of("name", "nvidia-persistenced", "pid", 77L)));
        assertThat(r.summary()).isEqualTo("boot handoff after 1610 ms: 2 steps, daemons {nvidia-persistenced=77}, mode gpu");
    }

    @Test
    void failureNamesStepAndReason() {
        BootReport r = new BootReport(() -> 0);
        r.step("cmdline", 0, 1, false);
        r.failed("cmdline", "nvrc.log=x: expected one of off, ...");
        assertThat(r.toMap()).containsEntry("result", "failed").containsEntry("failed_step", "cmdline")
                .containsEntry("failure", "nvrc.log=x: expected one of off, ...");
        assertThat(r.steps()).hasSize(1);
        assertThat(new BootReport(() -> 0).summary()).isEqualTo("boot running after 0 ms: 0 steps, daemons {}");
    }
}
