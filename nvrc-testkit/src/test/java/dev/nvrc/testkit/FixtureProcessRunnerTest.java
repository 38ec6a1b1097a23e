package dev.nvrc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MarkerWatch;
import java.nio.file.Path;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FixtureProcessRunnerTest {
    @TempDir
    Path dir;

    private FixtureProcessRunner runner;
    private final WaitingSyslogSink sink = new WaitingSyslogSink();

    private FixtureProcessRunner runner(NvsimSettings settings) {
        runner = new FixtureProcessRunner(NvrcPaths.under(dir.resolve("root")),
                settings.writeConf(dir.resolve("nvsim.conf")), sink::log);
        return runner;
    }

    @AfterEach
    void close() {
        if (runner != null) {
            runner.close();
        }
        SimulatedTools.stopAll(dir.resolve("root")); // the daemons a tool forked
    }

    @Test
    void neverRunsAProgramFromTheHost() {
        // The fixture root has no tools: /sbin/modprobe must not fall back to the host's.
        FixtureProcessRunner r = runner(NvsimSettings.forTest(dir.resolve("log")));
        assertThatThrownBy(() -> r.run(Command.of("modprobe", List.of("/sbin/modprobe", "nvidia")), Duration.ofSeconds(5)))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("cannot start modprobe: /sbin/modprobe does not exist (under the fixture root");
    }

    @Test
    void runsSimulatedToolsAndReportsFailuresWithTheirOutput() throws BootFailure {
        SimulatedTools.install(dir.resolve("root"));
        Path log = dir.resolve("log");
        FixtureProcessRunner r = runner(NvsimSettings.forTest(log).fail("nvidia-smi").hang("nvidia-ctk"));
        r.run(Command.of("modprobe", List.of("/sbin/modprobe", "nvidia")), Duration.ofSeconds(10));
        assertThatThrownBy(() -> r.run(Command.of("nvidia-smi", List.of("/bin/nvidia-smi", "-pl", "1")), Duration.ofSeconds(10)))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-smi failed: exit code 1 (/bin/nvidia-smi -pl 1); last output: ")
                .hasMessageContaining("simulated failure");
        assertThatThrownBy(() -> r.run(Command.of("nvidia-ctk", List.of("/bin/nvidia-ctk", "cdi")), Duration.ofMillis(300)))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-ctk did not finish within 300 ms and was killed (/bin/nvidia-ctk cdi)");
        assertThat(SimulatedTools.calls(log)).extracting(c -> c.get(0)).containsExactly("modprobe", "nvidia-smi", "nvidia-ctk");
    }

    @Test
    void aDaemonsDeathIsReportedWithItsStatusAndLines() throws Exception {
        SimulatedTools.install(dir.resolve("root"));
        FixtureProcessRunner r = runner(NvsimSettings.forTest(dir.resolve("log")).crash("nv-hostengine"));
        Daemon d = r.start(Command.of("nv-hostengine", List.of("/bin/nv-hostengine", "-n")));
        CountDownLatch ended = new CountDownLatch(1);
        d.onExit(s -> ended.countDown());
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.exitStatus()).contains(ExitStatus.exited(255));
        assertThat(d.recentLines(5)).anyMatch(l -> l.contains("DCGM engine failed to initialize"));
        assertThat(d.name()).isEqualTo("nv-hostengine");
        assertThat(d.pid()).isPositive();
    }

    @Test
    void theWaitingSinkSeesTheMarkerOrTimesOut() throws Exception {
        Path root = dir.resolve("root");
        SimulatedTools.install(root);
        Files.createDirectories(root.resolve("usr/share/nvidia/nvswitch"));
        Files.createDirectories(root.resolve("run"));
        Files.writeString(root.resolve("run/fabricmanager.cfg"), "DAEMONIZE=0\nLOG_USE_SYSLOG=1\n");
        FixtureProcessRunner r = runner(NvsimSettings.forTest(dir.resolve("log")).root(root).delayMs(100)
                .hang("nv-fabricmanager"));
        try (MarkerWatch w = sink.watch("Local RPC services initialized")) {
            Daemon d = r.start(Command.of("nvidia-persistenced", List.of("/bin/nvidia-persistenced", "--verbose")));
            w.await(d, Duration.ofSeconds(10));
            assertThat(w.marker()).isEqualTo("Local RPC services initialized");
        }
        try (MarkerWatch w = sink.watch("FM starting NvLink Inband")) {
            Daemon d = r.start(Command.of("nv-fabricmanager", List.of("/bin/nv-fabricmanager", "-c", "/run/fabricmanager.cfg")));
            assertThatThrownBy(() -> w.await(d, Duration.ofMillis(700))).isInstanceOf(BootFailure.class)
                    .hasMessageMatching("nv-fabricmanager \\(pid \\d+\\) did not log \"FM starting NvLink Inband\" within 700 ms.*");
        }
        assertThat(sink.recentMessages(100)).anyMatch(m -> m.contains("Connected to 1 node."));
    }

    @Test
    void signalDeathsAreRecognised() {
        assertThat(FixtureProcessRunner.statusOf(137)).isEqualTo(ExitStatus.killed(9));
        assertThat(FixtureProcessRunner.statusOf(3)).isEqualTo(ExitStatus.exited(3));
    }
}
