package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Where one boot's time went, from recorded benchmark consoles (src/test/resources/bench, CDI specs trimmed). */
class BootBreakdownTest {
    /** A recorded console of the benchmark (nvrc-vmtest/target/bench-logs of a run, 2026-12-07). */
    static String console(String name) {
        try (InputStream in = BootBreakdownTest.class.getResourceAsStream("/bench/" + name + ".log")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aGpuBootSplitsAsTheRunsBreakdownFileDid() {
        // gpu-1: main() at 2686 ms, Run /init 1.671 s; first step mount /proc 2840 + 98; last step
        // "jvm memory" 3677 + 20; the agent at 3.820 s. The bash script's gpu.breakdown: 1015 154 98 759 123.
        assertThat(BootBreakdown.of(console("gpu-1"))).hasValueSatisfying(b ->
                assertThat(b.values()).containsExactly(1015L, 154L, 98L, 759L, 123L));
    }

    @Test
    void aCpuBootToo() {
        // cpu-1: Run /init 1.983, main() 2753, the agent 3.550; the run's cpu.breakdown: 770 138 168 310 181.
        assertThat(BootBreakdown.of(console("cpu-1")).orElseThrow().values()).containsExactly(770L, 138L, 168L, 310L, 181L);
    }

    @Test
    void withoutTheAgentsTimesOrTheReportThereIsNone() {
        String gpu = console("gpu-1");
        assertThat(BootBreakdown.of(gpu.replace("AGENT-UPTIME", "AGENT-UPTIME-GONE"))).isEmpty();
        assertThat(BootBreakdown.of(gpu.replace("AGENT-KERNEL-RUN-INIT", "X"))).isEmpty();
        assertThat(BootBreakdown.of(gpu.replace("jvm_main_uptime_ms", "x"))).isEmpty();
        assertThat(BootBreakdown.of(gpu.substring(0, gpu.indexOf("BOOT-JSON-BEGIN")))).isEmpty();
    }

    @Test
    void aStepsDurationIsItsFirstOccurrences() {
        String gpu8 = console("gpu8-1");
        assertThat(BootBreakdown.stepMs(gpu8, "cdi")).hasValue(84);
        assertThat(BootBreakdown.stepMs(gpu8, "cmdline")).hasValue(50);
        assertThat(BootBreakdown.stepMs(gpu8, "mount /run")).hasValue(108);
        assertThat(BootBreakdown.stepMs(console("cpu-1"), "cdi")).isEmpty();
        // Not a prefix match: "mount /proc" is not "mount /p".
        assertThat(BootBreakdown.stepMs(gpu8, "mount /p")).isEmpty();
    }
}
