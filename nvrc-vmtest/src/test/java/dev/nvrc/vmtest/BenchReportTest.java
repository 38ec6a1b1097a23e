package dev.nvrc.vmtest;

import static dev.nvrc.vmtest.BootBreakdownTest.console;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report as bench-boot.sh runs it: a run's files in, the tables out and docs/performance.md rewritten. */
class BenchReportTest {
    private static final BenchReport.Host HOST = new BenchReport.Host("2 cores, 6.1.0, 7.2.22, TCG", "-machine virt -cpu max");
    private static final String NOTES = "<!-- bench-boot: notes, kept -->\n## Notes\n\nby hand\n<!-- bench-boot: end of notes -->";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @BeforeEach
    void run() throws Exception {
        Path logs = dir.resolve("bench-logs");
        BenchFixture f = new BenchFixture(logs);
        // gpu: the pre-init printed VMTEST-EXEC-INIT, so nvrc's /init is 0.25 s after the kernel's Run /init.
        f.rows("cpu", "ok 1.567 0.770 2891 34860 4 1.983 4.6 NA 17520 17340 1.567")
                .rows("gpu", "ok 2.149 1.015 2840 37596 4 1.671 4.6 2.0 20396 17196 1.899")
                .rows("gpu-chatty", "ok 2.024 0.964 2913 37780 4 1.808 4.6 55.1 20388 17260 1.774")
                .rows("gpu8", "ok 2.242 1.077 3098 35612 4 1.841 4.9 6.5 18344 17180 1.992");
        for (String s : BenchTables.SCENARIOS) {
            f.console(s, 1, console(s + "-1"), "HANDOFF_OK");
        }
        Files.setLastModifiedTime(logs.resolve("cpu.tsv"), FileTime.from(Instant.parse("2026-12-07T06:24:10Z")));
        Path nvrc = dir.resolve("image/root/usr/lib/nvrc");
        BenchFixture.write(nvrc.resolve("jre/lib/server/libjvm.so"), "x".repeat(2048));
        BenchFixture.write(nvrc.resolve("lib/jackson-databind-2.18.3.jar"), "x".repeat(1025));
        BenchFixture.write(dir.resolve("nvrc-image.tar.gz"), "x".repeat(3000));
        BenchFixture.write(dir.resolve("initramfs.img"), "x".repeat(100));
        BenchFixture.write(dir.resolve("performance.md"), "# Boot performance\n\nold\n\n" + NOTES + "\n");
    }

    private List<String> args(String... more) {
        List<String> a = new ArrayList<>(List.of("--logs", dir.resolve("bench-logs").toString(), "--arch", "x86_64", "--doc",
                dir.resolve("performance.md").toString(), "--tarball", dir.resolve("nvrc-image.tar.gz").toString(), "--image-root",
                dir.resolve("image/root").toString(), "--initrd", dir.resolve("initramfs.img").toString()));
        a.addAll(List.of(more));
        return a;
    }

    private String report(BenchRun r) throws Exception {
        String doc = Files.readString(r.doc());
        return BenchReport.report(r, HOST, new PrintStream(out, true, StandardCharsets.UTF_8), doc);
    }

    @Test
    void thePageSaysWhatTheRunMeasuredAndKeepsTheNotes() throws Exception {
        String page = report(BenchRun.parse(args()));
        assertThat(page).startsWith("# Boot performance\n\nMeasured by `scripts/bench-boot.sh 1` (2026-12-07 06:24 UTC; "
                + "2 cores, 6.1.0, 7.2.22, TCG): each scenario booted 1 times,");
        assertThat(page).contains("| gpu | 1/1 | 2.149 | 1.899 | 1.015 | 2840 | 37596 | 20396 / 17196 | 4 | 2.0 | 1.671 | 4.6 |");
        // Sizes in kB rounded up: 3000 bytes are 3 kB; the tree holds its files and directories.
        assertThat(page).contains("Boot image: **3 kB** compressed (`nvrc-image.tar.gz`)");
        assertThat(page).contains("| cpu boot-to-handoff <= 2.0 s | met (1.567 s) | Where it goes (the table above): /init to `main()` 770 ms,");
        // Both gpu figures, each named.
        assertThat(page).contains("| gpu /init to handoff <= 2.0 s | nvrc's /init: met (1.899 s); with the test pre-init: **not met** (2.149 s) |");
        assertThat(page).contains("| cdi step <= 150 ms (1 GPU) | met (71 ms) |");
        assertThat(page).contains("| cdi step <= 10 ms more per GPU | met (1.9 ms a GPU, (gpu8 - gpu) / 7) |");
        assertThat(page).contains("| JVM peak RSS <= 48 MB | met (37780 kB, the largest scenario) |");
        assertThat(page).contains("(without the archive this cpu boot would take about 2.1-2.4 s)");
        assertThat(page).doesNotContain("{{").doesNotContain("\nold\n").doesNotContain("## Levers").endsWith("\n" + NOTES + "\n");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| scenario | /init to main() |")
                .contains("boot image: 3 kB compressed (nvrc-image.tar.gz)");
    }

    @Test
    void aRunWithoutTheNewColumnSaysNvrcsFigureIsNotMeasured() throws Exception {
        new BenchFixture(dir.resolve("bench-logs")).rows("gpu", "ok 2.149 1.015 2840 37596 4 1.671 4.6 2.0 20396 17196");
        String page = report(BenchRun.parse(args("--runs", "1")));
        assertThat(page).contains("| gpu /init to handoff <= 2.0 s | nvrc's /init: not measured; with the test pre-init: **not met** (2.149 s) |");
    }

    @Test
    void anotherArchitecturesRunRewritesOnlyItsSection() throws Exception {
        String page = report(BenchRun.parse(args("--other-arch", "--arch", "aarch64")));
        assertThat(page).startsWith("# Boot performance\n\nold\n\n" + NOTES + "\n\n<!-- bench-boot: other architectures -->\n");
        assertThat(page).contains("## aarch64 (Grace guests").contains("7.2.22, TCG, `-machine virt -cpu max`, the aarch64 CPU");
    }

    @Test
    void theCommandWritesThePageAndRefusesBadArguments() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(BenchReport.run(args("--lever", "x", "nothing", "what"), new PrintStream(out), e)).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("lever x is measured against nothing");
        assertThat(BenchReport.run(List.of("--logs"), new PrintStream(out), e)).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("performance.md"))).contains("\nold\n");
    }

    @Test
    void theSeriesKeepTheirOrderAndLeversNeedAKnownSeriesBeforeThem() {
        BenchRun r = BenchRun.parse(args("--series", "jvm-base", "--lever", "xint", "jvm-base", "JVM flags `-Xint`", "--lever", "old",
                "base", "initramfs `x`"));
        assertThat(r.series()).extracting(BenchSeries::name).containsExactly("base", "jvm-base", "xint", "old");
        assertThat(r.series().get(2).dir()).isEqualTo(dir.resolve("bench-logs/xint"));
        assertThat(r.runs()).isEqualTo(1);
        assertThatThrownBy(() -> BenchRun.parse(args("--lever", "a", "b", "c", "--lever", "b", "base", "d")))
                .hasMessageContaining("lever a is measured against b");
        assertThatThrownBy(() -> BenchRun.parse(args("--series", "base"))).hasMessageContaining("series base given twice");
        assertThatThrownBy(() -> BenchRun.parse(args("--lever", "a"))).hasMessageContaining("--lever needs 3 value(s)");
    }
}
