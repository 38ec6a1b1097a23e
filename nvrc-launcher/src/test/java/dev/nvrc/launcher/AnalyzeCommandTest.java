package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandTest {
    private static final String REPORT = """
            {"result":"handoff","mode":"gpu","steps":[
              {"step":"mount /proc","start_ms":900,"duration_ms":2,"ok":true},
              {"step":"nvidia-persistenced","start_ms":1000,"duration_ms":350,"ok":true},
              {"step":"cdi <all>","start_ms":1350,"duration_ms":20,"ok":true}],"daemons":[]}
            """;

    @Test
    void printsTheTimelineAndDrawsAnSvg(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("boot.json");
        Files.writeString(json, REPORT);
        Path svg = dir.resolve("boot.svg");
        CliTest.Result r = CliTest.run("analyze", json.toString(), "--svg", svg.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("result: handoff, mode gpu").contains("1000        350  nvidia-persistenced");
        String drawing = Files.readString(svg);
        assertThat(drawing).startsWith("<svg").contains("cdi &lt;all&gt;").contains("350 ms");
        assertThat(drawing.split("<rect").length - 1).isEqualTo(4); // background + one bar per step
    }

    @Test
    void failedBootShowsTheFailure(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("boot.json");
        Files.writeString(json, """
                {"result":"failed","steps":[{"step":"cmdline","start_ms":5,"duration_ms":1,"ok":false}],
                 "failed_step":"cmdline","failure":"nvrc.log=x: bad"}
                """);
        CliTest.Result r = CliTest.run("analyze", json.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("cmdline  FAILED").contains("failed in cmdline: nvrc.log=x: bad");
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFifoOrADeviceAsTheReportIsExitStatus2NotAHang(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("boot.json");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor()).isZero();
        CliTest.Result r = CliTest.run("analyze", fifo.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nvrc: cannot read boot report " + fifo + ": a FIFO, not a regular file\n");
        assertThat(CliTest.run("analyze", "/dev/zero").err()).contains("a character device, not a regular file");
        assertThat(CliTest.run("analyze", dir.resolve("none").toString()).err()).endsWith(": no such file or directory\n");
    }

    @Test
    void badInputIsAnErrorNotATrace(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("x.json");
        Files.writeString(json, "{\"steps\":[{\"step\":1}]}");
        assertThat(CliTest.run("analyze", json.toString()).err()).startsWith("nvrc: ").contains("lacks");
        Files.writeString(json, "[]");
        assertThat(CliTest.run("analyze", json.toString()).err()).contains("not a boot report");
        Files.writeString(json, "{nope");
        assertThat(CliTest.run("analyze", json.toString()).err()).startsWith("nvrc: cannot read boot report");
        assertThat(CliTest.run("analyze").status()).isEqualTo(2);
        assertThat(CliTest.run("analyze", "a", "--png", "b").status()).isEqualTo(2);
    }

    @Test
    void ticksAreRound() {
        assertThat(AnalyzeCommand.niceTick(7)).isEqualTo(1);
        assertThat(AnalyzeCommand.niceTick(95)).isEqualTo(10);
        assertThat(AnalyzeCommand.niceTick(1500)).isEqualTo(200);
        assertThat(AnalyzeCommand.niceTick(4200)).isEqualTo(500);
        assertThat(AnalyzeCommand.svg(List.of())).startsWith("<svg");
    }
}
