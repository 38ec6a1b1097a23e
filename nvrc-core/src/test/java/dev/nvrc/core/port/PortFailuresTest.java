package dev.nvrc.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The failure wording the adapters and the fakes share, as docs/gpu-mode.md quotes it. */
class PortFailuresTest {
    record Dead(String name, long pid, List<String> lines) implements Daemon {
        @Override
        public Optional<ExitStatus> exitStatus() {
            return Optional.of(ExitStatus.exited(1));
        }

        @Override
        public void onExit(Consumer<ExitStatus> listener) {}

        @Override
        public List<String> recentLines(int max) {
            return lines.subList(Math.max(0, lines.size() - max), lines.size());
        }
    }

    final Daemon persistenced = new Dead("nvidia-persistenced", 42, List.of("a", "b"));
    final Command modprobe = Command.of("modprobe", List.of("/sbin/modprobe", "nvidia"));

    @Test
    void durationsReadNaturally() {
        assertThat(PortFailures.duration(Duration.ofSeconds(120))).isEqualTo("120 s");
        assertThat(PortFailures.duration(Duration.ofMillis(50))).isEqualTo("50 ms");
        assertThat(PortFailures.duration(Duration.ofMillis(1500))).isEqualTo("1500 ms");
    }

    @Test
    void daemonFailuresNameTheDaemonItsPidAndItsLastLines() {
        assertThat(PortFailures.markerTimeout(persistenced, "Local RPC services initialized", Duration.ofSeconds(120)))
                .isEqualTo("nvidia-persistenced (pid 42) did not log \"Local RPC services initialized\" within 120 s;"
                        + " last lines: a | b");
        assertThat(PortFailures.endedBeforeMarker(persistenced, "Local RPC services initialized", ExitStatus.exited(1)))
                .isEqualTo("nvidia-persistenced (pid 42) ended before logging \"Local RPC services initialized\":"
                        + " exit code 1; last lines: a | b");
        assertThat(PortFailures.daemonEnded(new Dead("nv-hostengine", 7, List.of()), ExitStatus.killed(9)))
                .isEqualTo("nv-hostengine (pid 7) ended during the boot: killed by signal 9");
    }

    @Test
    void daemonLinesAreCutToTheLastFew() {
        Daemon chatty = new Dead("d", 1, List.of("1", "2", "3", "4", "5", "6", "7"));
        assertThat(PortFailures.lastLines(chatty)).isEqualTo("; last lines: 3 | 4 | 5 | 6 | 7");
    }

    @Test
    void programFailuresNameTheCommandLineAndTheLastOutput() {
        assertThat(PortFailures.commandFailed(modprobe, ExitStatus.exited(1), List.of("FATAL: Module nvidia not found")))
                .isEqualTo("modprobe failed: exit code 1 (/sbin/modprobe nvidia); last output: FATAL: Module nvidia not found");
        assertThat(PortFailures.commandTimedOut(modprobe, Duration.ofSeconds(180), List.of()))
                .isEqualTo("modprobe did not finish within 180 s and was killed (/sbin/modprobe nvidia)");
        assertThat(PortFailures.cannotStart(modprobe, "/sbin/modprobe does not exist"))
                .isEqualTo("cannot start modprobe: /sbin/modprobe does not exist");
        assertThat(PortFailures.lastOutput(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10")))
                .isEqualTo("; last output: 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10");
    }

    @Test
    void quotedLinesDropBlankOnesSoNoMessageEndsInASeparator() {
        assertThat(PortFailures.joined("; last lines: ", List.of("a", "  ", "b  ", ""), 5)).isEqualTo("; last lines: a | b");
        assertThat(PortFailures.joined("; last lines: ", List.of("", " "), 5)).isEmpty();
        assertThat(PortFailures.joined("; x: ", List.of("1", "2", "3", "", "4"), 2)).isEqualTo("; x: 3 | 4");
        assertThat(PortFailures.joined("; x: ", List.of(), 2)).isEmpty();
    }

    @Test
    void kernelLinesAreThoseWithTheDriversPrefix() {
        assertThat(PortFailures.kernelLog(List.of("nvidia: taints kernel", "NVRM: No NVIDIA GPU found.", ""),
                List.of("NVRM:"))).isEqualTo("; kernel log: NVRM: No NVIDIA GPU found.");
        assertThat(PortFailures.kernelLog(List.of("other"), List.of("NVRM:"))).isEmpty();
    }
}
