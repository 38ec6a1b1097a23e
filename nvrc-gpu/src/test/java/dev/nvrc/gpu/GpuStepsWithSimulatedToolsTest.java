package dev.nvrc.gpu;

import dev.nvrc.core.cmdline.ConfComputeReadyState;
import dev.nvrc.core.GuestLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.plan.TrackedDaemons;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.Ports;
import dev.nvrc.core.topology.TopologyReader;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.FixtureProcessRunner;
import dev.nvrc.testkit.NvsimSettings;
import dev.nvrc.testkit.SimulatedTools;
import dev.nvrc.testkit.SysfsFixture;
import dev.nvrc.testkit.WaitingSyslogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU steps against the simulated NVIDIA tools run as real processes from a fixture root
 * (never the host's programs): the argv the tools receive, their failures, hangs, crashes and
 * detaching, as the boot sees them. The daemons log to stderr here, which the runner feeds to a
 * waiting syslog sink; the /dev/log datagram path itself is tested in the testkit.
 */
class GpuStepsWithSimulatedToolsTest {
    @TempDir
    Path root;

    @TempDir
    Path work;

    private final WaitingSyslogSink sink = new WaitingSyslogSink();
    private final FakePorts fakes = new FakePorts();
    private FixtureProcessRunner runner;
    private Path log;

    @AfterEach
    void stop() {
        if (runner != null) {
            runner.close();
        }
        // A forked daemon is no child of ours: stop every process of the fixture's tools.
        SimulatedTools.stopAll(root);
    }

    private SysfsFixture machine(int gpus) {
        SysfsFixture machine = SysfsFixture.at(root).gpus(gpus);
        SimulatedTools.install(root);
        dcgmFiles("");
        return machine;
    }

    /** What the DCGM daemons need in the image: the exporter's counters file (under {@code prefix}), a /run. */
    private void dcgmFiles(String prefix) {
        try {
            Path counters = root.resolve(prefix + "etc/dcgm-exporter/default-counters.csv");
            Files.createDirectories(counters.getParent());
            Files.writeString(counters, "DCGM_FI_DEV_GPU_UTIL, gauge, GPU utilization (in %).\n");
            Files.createDirectories(root.resolve("run"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private NvsimSettings settings() {
        log = work.resolve("nvsim.log");
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            // The tools' files under the fixture root; a free port standing in for DCGM's 5555.
            return NvsimSettings.forTest(log).root(root).dcgmPort(free.getLocalPort());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private BootContext context(SysfsFixture machine, NvsimSettings settings, BootConfig config) {
        runner = new FixtureProcessRunner(machine.paths(), settings.writeConf(work.resolve("nvsim.conf")), sink::log);
        Ports ports = new Ports(fakes.mounts, fakes.network, fakes.sysctl, runner, sink, fakes.init,
                fakes.deviceNodes);
        return new BootContext(config, machine.paths(), ports, new TrackedDaemons());
    }

    private static List<Step> gpuMode(GpuSteps gpu) {
        List<Step> steps = new ArrayList<>();
        steps.addAll(gpu.drivers());
        steps.addAll(gpu.persistenced());
        steps.addAll(gpu.clocksAndPower());
        steps.addAll(gpu.dcgm());
        steps.addAll(gpu.confComputeReadyState());
        steps.addAll(gpu.health());
        return steps;
    }

    private static void run(List<Step> steps, BootContext context) throws BootFailure {
        for (Step s : steps) {
            s.run(context);
        }
    }

    /** The argv lines of a golden transcript as nvsim logs them: [tool, args...]. */
    private static List<List<String>> goldenCalls(String scenario) throws Exception {
        List<List<String>> calls = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/golden/gpu/" + scenario + ".txt"))) {
            if (line.startsWith("run ") || line.startsWith("start ")) {
                List<String> words = List.of(line.split(" +"));
                List<String> argv = words.subList(words.indexOf("env") + 4, words.size()); // env -i HOME PATH argv...
                List<String> call = new ArrayList<>(argv);
                call.set(0, Path.of(argv.get(0)).getFileName().toString());
                calls.add(call);
            }
        }
        return calls;
    }

    @Test
    void theToolsReceiveExactlyTheGoldenArgv() throws Exception {
        SysfsFixture machine = machine(8);
        BootConfig config = TestConfig.defaults().lgc(1500).lmc(5001).pl(300).srs(ConfComputeReadyState.READY).dcgm(true).build();
        BootContext context = context(machine, settings(), config);
        run(gpuMode(new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths()))), context);

        // dcgm-exporter starts once nv-hostengine said it serves: the order is fixed.
        assertThat(SimulatedTools.calls(log)).isEqualTo(goldenCalls("eight-gpus-all-settings"));
        // nvidia-persistenced twice: the program started, then the daemon it forked.
        assertThat(context.daemons().all()).extracting(Daemon::name)
                .containsExactly("nvidia-persistenced", "nvidia-persistenced", "nv-hostengine", "dcgm-exporter");
        assertThat(root.resolve("var/run/nvidia-persistenced")).isDirectory();
    }

    @Test
    void theGpuExtensionsToolsRunAndModprobeGetsItsDirectory() throws Exception {
        SysfsFixture machine = SysfsFixture.at(root).gpus(1);
        SimulatedTools.install(root, GuestLayout.GPU_EXTENSION);
        dcgmFiles("run/kata-extensions/gpu/");
        BootConfig config = TestConfig.defaults().pl(250).build();
        BootContext context = context(machine, settings(), config);
        run(gpuMode(new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths()))), context);
        assertThat(SimulatedTools.calls(log)).isEqualTo(goldenCalls("gpu-extension").stream()
                .filter(c -> !c.get(0).equals("nv-hostengine") && !c.get(0).equals("dcgm-exporter")
                        && !c.contains("conf-compute"))
                .toList());
    }

    @Test
    void aFailingNvidiaSmiFailsItsStepWithTheExitCodeAndTheToolsMessage() throws Exception {
        SysfsFixture machine = machine(2);
        BootConfig config = TestConfig.defaults().lgc(1500).build();
        BootContext context = context(machine, settings().fail("nvidia-smi"), config);
        Step lgc = new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths())).clocksAndPower().get(0);
        assertThatThrownBy(() -> lgc.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-smi failed: exit code 1 (/bin/nvidia-smi -lgc 1500); last output: ")
                .hasMessageContaining("simulated failure");
    }

    @Test
    void persistencedCrashingBeforeItsMarkerFailsAtOnce() throws Exception {
        SysfsFixture machine = machine(2);
        BootConfig config = TestConfig.defaults().timeout(Duration.ofSeconds(120)).build();
        BootContext context = context(machine, settings().crash("nvidia-persistenced"), config);
        Step step = new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths())).persistenced().get(0);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> step.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageMatching("nvidia-persistenced \\(pid \\d+\\) ended before logging \"Local RPC services initialized\":"
                        + " exit code 1; last lines: .*")
                .hasMessageContaining("simulated crash before readiness")
                .hasMessageContaining("nvidia-persistenced failed to initialize. Check syslog for more details.");
        // "At once": nowhere near the 120 s timeout (a generous bound, not a benchmark).
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void persistencedThatNeverLogsItsMarkerTimesOut() throws Exception {
        SysfsFixture machine = machine(2);
        BootConfig config = TestConfig.defaults().timeout(GpuSteps.NVIDIA_PERSISTENCED, Duration.ofSeconds(1)).build();
        BootContext context = context(machine, settings().hang("nvidia-persistenced"), config);
        Step step = new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths())).persistenced().get(0);
        assertThatThrownBy(() -> step.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageMatching("nvidia-persistenced \\(pid \\d+\\) did not log \"Local RPC services initialized\" within 1 s.*");
    }

    @Test
    void persistencedForksAndTheDaemonItForkedIsFollowedByItsPidFile() throws Exception {
        SysfsFixture machine = machine(8);
        BootConfig config = TestConfig.defaults().build();
        BootContext context = context(machine, settings().delayMs(100), config);
        GpuSteps gpu = new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths()));
        gpu.persistenced().get(0).run(context);
        List<Daemon> tracked = context.daemons().all();
        assertThat(tracked).hasSize(2);
        assertThat(tracked.get(0).exitStatus()).as("the started process exited once the daemon was up")
                .contains(dev.nvrc.core.port.ExitStatus.exited(0));
        long daemon = Long.parseLong(Files.readString(root.resolve(GpuSteps.PERSISTENCED_PID_FILE.substring(1))).strip());
        assertThat(tracked.get(1).pid()).isEqualTo(daemon).isNotEqualTo(tracked.get(0).pid());
        gpu.health().get(0).run(context);
        // The daemon dies after its parent exited 0: health sees it.
        CountDownLatch ended = new CountDownLatch(1);
        tracked.get(1).onExit(st -> ended.countDown());
        ProcessHandle.of(daemon).orElseThrow().destroyForcibly();
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> gpu.health().get(0).run(context)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid " + daemon + ") ended during the boot");
    }

    @Test
    void aPersistencedDaemonThatDiesAfterItsParentExitedFailsHealth() throws Exception {
        SysfsFixture machine = machine(2);
        BootConfig config = TestConfig.defaults().build();
        BootContext context = context(machine, settings().die("nvidia-persistenced").dieMs(100), config);
        GpuSteps gpu = new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths()));
        gpu.persistenced().get(0).run(context);
        CountDownLatch ended = new CountDownLatch(1);
        context.daemons().all().get(1).onExit(st -> ended.countDown());
        assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> gpu.health().get(0).run(context)).isInstanceOf(BootFailure.class)
                .hasMessageMatching("nvidia-persistenced \\(pid \\d+\\) ended during the boot: .*");
    }

    @Test
    void aHostengineThatFailsFailsItsStepAndAnExporterWithoutAHostengineCannotConnect() throws Exception {
        SysfsFixture machine = machine(2);
        BootConfig config = TestConfig.defaults().dcgm(true).build();
        GpuSteps gpu = new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths()));
        BootContext failing = context(machine, settings().crash("nv-hostengine"), config);
        assertThatThrownBy(() -> gpu.dcgm().get(0).run(failing)).isInstanceOf(BootFailure.class)
                .hasMessageMatching("nv-hostengine \\(pid \\d+\\) ended before logging \"Started host engine version\":"
                        + " exit code 255; last lines: .*DCGM engine failed to initialize.*");
        runner.close();
        BootContext alone = context(machine, settings(), config);
        gpu.dcgm().get(1).run(alone);
        CountDownLatch exited = new CountDownLatch(1);
        alone.daemons().all().get(0).onExit(st -> exited.countDown());
        assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> gpu.health().get(0).run(alone)).isInstanceOf(BootFailure.class)
                .hasMessageMatching("dcgm-exporter \\(pid \\d+\\) ended during the boot: exit code 1; last lines: .*"
                        + "Failed to connect to remote hostengine at localhost:5555.*");
    }

    @Test
    void healthNamesTheDcgmDaemonThatDied() throws Exception {
        SysfsFixture machine = machine(8);
        BootConfig config = TestConfig.defaults().dcgm(true).build();
        BootContext context = context(machine, settings().crash("dcgm-exporter"), config);
        GpuSteps gpu = new GpuSteps(config, new TopologyReader(machine.paths()).read(), GuestLayout.detect(machine.paths()));
        run(gpu.dcgm(), context);
        CountDownLatch exited = new CountDownLatch(1);
        context.daemons().all().get(1).onExit(st -> exited.countDown());
        assertThat(exited.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> gpu.health().get(0).run(context)).isInstanceOf(BootFailure.class)
                .hasMessageMatching("dcgm-exporter \\(pid \\d+\\) ended during the boot: exit code 2; last lines: .*");
    }
}
