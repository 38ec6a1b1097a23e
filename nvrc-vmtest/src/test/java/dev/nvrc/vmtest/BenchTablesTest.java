package dev.nvrc.vmtest;

import static dev.nvrc.vmtest.BootBreakdownTest.console;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's tables from a run's rows and recorded consoles. */
class BenchTablesTest {
    @TempDir
    Path logs;

    private BenchSeries base;
    private BenchSeries old;

    @BeforeEach
    void run() {
        // Three runs. cpu: run 2 failed; run 3's row is an older run's (no nvrc column) and its console
        // has no .outcome (saved before the harness wrote one: the console decides).
        new BenchFixture(logs)
                .rows("cpu", "ok 1.567 0.770 2891 34860 4 1.983 4.6 NA 17520 17340 1.567",
                        "FAIL NA NA NA NA NA NA 300.0 NA NA NA NA",
                        "ok 1.617 0.770 2990 36084 4 1.983 4.5 NA 18744 17340")
                .console("cpu", 1, console("cpu-1"), "HANDOFF_OK")
                .console("cpu", 2, "[ 1.0] Kernel panic - not syncing\n", "KERNEL_PANIC")
                .console("cpu", 3, BenchFixture.withUptime(console("cpu-1"), "3.600"), null)
                // gpu: nvrc's /init measured in two runs of three (the third, an older initramfs, printed no line).
                .rows("gpu", "ok 2.149 1.015 2840 37596 4 1.671 4.6 13.1 20396 17196 1.900",
                        "ok 2.193 1.156 3107 38992 4 1.787 4.8 1.2 21540 17332 1.950",
                        "ok 2.183 1.129 3062 37664 4 1.727 4.6 -0.2 20412 17188 NA")
                .console("gpu", 1, console("gpu-1"), "HANDOFF_OK")
                // A run the harness did not call handed off, whatever its console says: not in the steps.
                .console("gpu", 2, BenchFixture.withUptime(console("gpu-1"), "9.999"), "AGENT_CHECKS_FAILED 4.6 AGENT-CHECK x FAIL")
                .console("gpu", 3, console("gpu-1").replace("\"duration_ms\" : 71,", "\"duration_ms\" : 81,"), "HANDOFF_OK")
                .rows("gpu-chatty", "ok 2.024 0.964 2913 37780 4 1.808 4.6 55.1 20388 17260 NA")
                .console("gpu-chatty", 1, console("gpu-chatty-1"), "HANDOFF_OK")
                .rows("gpu8", "ok 2.242 1.077 3098 35612 4 1.841 4.9 6.5 18344 17180 NA")
                .console("gpu8", 1, console("gpu8-1"), "HANDOFF_OK");
        // A lever: an older build's initramfs, whose pre-init prints no VMTEST-EXEC-INIT.
        new BenchFixture(logs.resolve("old"))
                .rows("cpu", "ok 1.890 0.9 2990 39140 4 1.9 4.5 NA 17520 17340 1.890")
                .rows("gpu", "ok 2.451 1.1 3100 38888 4 1.7 4.7 5.0 20000 17000 NA")
                .rows("gpu-chatty", "ok 2.534 1.1 3100 39264 4 1.7 4.7 59.6 20000 17000 NA",
                        "FAIL NA NA NA NA NA NA 300.0 NA NA NA NA")
                .console("gpu", 1, console("today-gpu-1"), "HANDOFF_OK");
        base = BenchSeries.plain(logs, "base");
        old = BenchSeries.lever(logs, "old", "base", "an older build's initramfs");
    }

    private BenchTables tables(BenchSeries... series) {
        return new BenchTables(List.of(series), 3);
    }

    @Test
    void eachScenariosRowHoldsTheMediansOfTheBootsThatHandedOff() {
        String results = tables(base).results();
        // cpu: two ok rows of three; the older row has no nvrc column, which counts as NA.
        assertThat(results).contains("| cpu | 2/3 | 1.592 | 1.567 | 0.770 | 2940.500 | 35472.000 | 18132.000 / 17340.000 | 4.000 | NA | 1.983 | 4.550 |");
        assertThat(results).contains("| gpu | 3/3 | 2.183 | 1.925 | 1.129 | 3062 | 37664 | 20412 / 17196 | 4 | 1.2 | 1.727 | 4.6 |");
        assertThat(results).contains("| gpu8 | 1/3 | 2.242 | NA | 1.077 |");
        assertThat(results.lines().findFirst().orElseThrow())
                .contains("/init to handoff incl. the test pre-init, s | nvrc /init to handoff, s |");
    }

    @Test
    void theBreakdownTakesTheConsolesOfTheHandedOffRunsOnly() {
        BenchTables t = tables(base);
        // cpu runs 1 and 3 (run 3 with the agent 50 ms later); run 2 panicked.
        // An even count averages, to three decimals, as the script's median did.
        assertThat(t.breakdown("cpu", 0)).isEqualTo("770.000");
        assertThat(t.breakdown("cpu", 4)).isEqualTo("206.000");
        assertThat(t.breakdownTable()).contains("| cpu | 770.000 | 138.000 | 168.000 | 310.000 | 206.000 |");
        // gpu: run 2's outcome says it failed, so its agent at 9.999 s is not in the median.
        assertThat(t.breakdown("gpu", 4)).isEqualTo("123.000");
    }

    @Test
    void theStepsTableHasEverySeriesAndNaWhereAStepNeverRan() {
        String steps = tables(base, old).stepsTable();
        // gpu: runs 1 (71 ms) and 3 (81 ms); run 2 failed.
        assertThat(steps).contains("| base | gpu | 76.000 | 50.000 | 147.000 |");
        assertThat(steps).contains("| base | cpu | NA | 30.000 | 6.000 |");
        assertThat(steps).contains("| old | gpu | 330 |");
        assertThat(steps).contains("| old | gpu8 | NA | NA | NA |");
    }

    @Test
    void aLeverIsComparedWithItsSeriesOnBothHandoffFigures() {
        String levers = tables(base, old).leverTable();
        assertThat(levers.lines().toList()).hasSize(3);
        String row = levers.lines().toList().get(2);
        // cpu: 1.890 / 1.592; nvrc's /init 1.890 / 1.567 (the wrapper-free cpu boot: the same figure).
        assertThat(row).startsWith("| old | an older build's initramfs | 1.890 s (**1.19×**); nvrc /init 1.890 s (1.21×) |");
        // gpu: the older initramfs has no nvrc figure: its ratio is NA, not a guess.
        assertThat(row).contains("| 2.451 s (**1.12×**); nvrc /init: not in this initramfs |");
        // gpu-chatty: neither series has it, so the cell is the handoff alone.
        assertThat(row).contains("| 2.534 s (**1.25×**) |");
        // gpu8: the lever booted none that handed off.
        assertThat(row).contains("| NA s (**NA×**) |");
        assertThat(row).contains("| 39140 (1.10×) |");
        assertThat(row).endsWith("| 59.6 ms (vs 55.1) | 3/12 |");
    }

    @Test
    void withoutALeverThereIsNoLeverTable() {
        assertThat(tables(base).leverTable()).isEmpty();
    }
}
