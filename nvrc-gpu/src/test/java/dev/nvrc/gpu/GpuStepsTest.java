package dev.nvrc.gpu;

import dev.nvrc.core.cmdline.ConfComputeReadyState;
import dev.nvrc.core.GuestLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.topology.TopologyReader;
import dev.nvrc.testkit.FakeDaemon;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GpuStepsTest {
    @TempDir
    Path root;

    private final FakePorts fakes = new FakePorts();

    private GpuSteps gpuSteps(int gpus, BootConfig config) throws BootFailure {
        SysfsFixture machine = SysfsFixture.at(root).gpus(gpus);
        PciTopology topology = new TopologyReader(machine.paths()).read();
        return new GpuSteps(config, topology, GuestLayout.detect(machine.paths()));
    }

    private NvrcPaths paths() {
        return NvrcPaths.under(root);
    }

    private static List<String> names(List<Step> steps) {
        return steps.stream().map(Step::name).toList();
    }

    private void runAll(List<Step> steps, BootContext context) throws BootFailure {
        for (Step s : steps) {
            s.run(context);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 8, 16})
    void nvLinkStaysEnabledUnlessThereIsExactlyOneGpu(int gpus) throws BootFailure {
        assertThat(gpuSteps(gpus, BootConfig.defaults()).drivers().get(0).describe().argv())
                .containsExactly("/sbin/modprobe", "nvidia");
    }

    @Test
    void oneGpuDisablesNvLink() throws BootFailure {
        GpuSteps gpu = gpuSteps(1, BootConfig.defaults());
        assertThat(gpu.drivers()).extracting(s -> s.describe().argv()).containsExactly(
                List.of("/sbin/modprobe", "nvidia", "NVreg_NvLinkDisable=1"),
                List.of("/sbin/modprobe", "nvidia-uvm"));
    }

    @Test
    void stepNamesAreStable() throws BootFailure {
        GpuSteps gpu = gpuSteps(8, TestConfig.defaults().lgc(1).lmc(2).pl(3).srs(ConfComputeReadyState.READY).dcgm(true).build());
        assertThat(names(gpu.drivers())).containsExactly("modprobe nvidia", "modprobe nvidia-uvm");
        assertThat(names(gpu.persistenced())).containsExactly("nvidia-persistenced");
        assertThat(names(gpu.clocksAndPower())).containsExactly("nvidia-smi -lmc", "nvidia-smi -lgc", "nvidia-smi -pl");
        assertThat(names(gpu.dcgm())).containsExactly("nv-hostengine", "dcgm-exporter");
        assertThat(names(gpu.confComputeReadyState())).containsExactly("nvidia-smi conf-compute -srs");
        assertThat(names(gpu.health())).containsExactly("health");
    }

    @Test
    void unsetSettingsProduceNoSteps() throws BootFailure {
        GpuSteps gpu = gpuSteps(8, BootConfig.defaults());
        assertThat(gpu.clocksAndPower()).isEmpty();
        assertThat(gpu.dcgm()).isEmpty();
        assertThat(gpu.confComputeReadyState()).isEmpty();
    }

    @Test
    void onlyTheSetSettingsRunInTheirOrder() throws BootFailure {
        GpuSteps gpu = gpuSteps(8, TestConfig.defaults().pl(400).lmc(2619).build());
        assertThat(gpu.clocksAndPower()).extracting(s -> s.describe().argv()).containsExactly(
                List.of("/bin/nvidia-smi", "-lmc", "2619"), List.of("/bin/nvidia-smi", "-pl", "400"));
    }

    @Test
    void theLargestNumbersTheParserAcceptsArePrintedAsGiven() throws BootFailure {
        GpuSteps gpu = gpuSteps(1, TestConfig.defaults().lgc(ConfigParser.MAX_CLOCK_MHZ)
                .pl(ConfigParser.MAX_POWER_W).build());
        assertThat(gpu.clocksAndPower()).extracting(s -> s.describe().argv()).containsExactly(
                List.of("/bin/nvidia-smi", "-lgc", "20000"), List.of("/bin/nvidia-smi", "-pl", "5000"));
    }

    @Test
    void foregroundCommandsRunWithTheDocumentedTimeoutAndShortNames() throws BootFailure {
        GpuSteps gpu = gpuSteps(2, TestConfig.defaults().lgc(1500).build());
        BootContext context = fakes.context(BootConfig.defaults(), paths());
        runAll(gpu.drivers(), context);
        runAll(gpu.clocksAndPower(), context);
        assertThat(fakes.processes.runTimeouts()).hasSize(3).containsOnly(GpuSteps.FOREGROUND_TIMEOUT);
        assertThat(fakes.processes.calls()).extracting(c -> c.command().name())
                .containsExactly("modprobe", "modprobe", "nvidia-smi");
        assertThat(gpu.drivers().get(0).describe())
                .isEqualTo(PlanEntry.run("modprobe nvidia", List.of("/sbin/modprobe", "nvidia"))
                        .with("runs", "foreground").with("timeout_s", 180L));
    }

    @Test
    void aDriverThatFindsNoGpuIsQuotedFromTheKernelLogWithTheLikelyCause() throws BootFailure {
        // What the real 535 driver logs in a VM without a GPU (seen in the real-binaries VM tier).
        fakes.processes.failing("modprobe", ExitStatus.exited(1)).kernelSays("modprobe",
                "nvidia: loading out-of-tree module taints kernel.", "NVRM: No NVIDIA GPU found.",
                "nvidia-nvlink: Unregistered Nvlink Core, major device number 245");
        Step nvidia = gpuSteps(1, BootConfig.defaults()).drivers().get(0);
        assertThatThrownBy(() -> nvidia.run(fakes.context(BootConfig.defaults(), paths())))
                .isInstanceOf(BootFailure.class)
                .hasMessage("modprobe failed: exit code 1 (/sbin/modprobe nvidia NVreg_NvLinkDisable=1);"
                        + " kernel log: NVRM: No NVIDIA GPU found.;"
                        + " is a GPU passed through to this VM (a vfio-pci device the driver can bind)?");
    }

    @Test
    void otherModprobeFailuresGetNoGpuHint() throws BootFailure {
        fakes.processes.failing("modprobe", ExitStatus.exited(1)).kernelSays("modprobe", "NVRM: API mismatch");
        Step uvm = gpuSteps(2, BootConfig.defaults()).drivers().get(1);
        assertThatThrownBy(() -> uvm.run(fakes.context(BootConfig.defaults(), paths())))
                .isInstanceOf(BootFailure.class)
                .hasMessage("modprobe failed: exit code 1 (/sbin/modprobe nvidia-uvm); kernel log: NVRM: API mismatch");
    }

    @Test
    void nvidiaSmiFailuresQuoteNoKernelLines() throws BootFailure {
        fakes.processes.failing("nvidia-smi", ExitStatus.exited(9)).kernelSays("nvidia-smi", "NVRM: something");
        Step lgc = gpuSteps(1, TestConfig.defaults().lgc(1500).build()).clocksAndPower().get(0);
        assertThatThrownBy(() -> lgc.run(fakes.context(BootConfig.defaults(), paths())))
                .isInstanceOf(BootFailure.class).hasMessage("nvidia-smi failed: exit code 9 (/bin/nvidia-smi -lgc 1500)");
    }

    @Test
    void aFailingToolFailsItsStep() throws BootFailure {
        fakes.processes.failing("nvidia-smi", ExitStatus.exited(3));
        Step lgc = gpuSteps(8, TestConfig.defaults().lgc(1500).build()).clocksAndPower().get(0);
        assertThatThrownBy(() -> lgc.run(fakes.context(BootConfig.defaults(), paths())))
                .isInstanceOf(BootFailure.class).hasMessageContaining("nvidia-smi").hasMessageContaining("exit code 3");
    }

    @Test
    void theLayoutGivenDecidesEveryProgramAndModuleDirectory() throws Exception {
        SysfsFixture machine = SysfsFixture.at(root).gpus(1);
        PciTopology topology = new TopologyReader(machine.paths()).read();
        BootConfig config = TestConfig.defaults().srs(ConfComputeReadyState.READY).build();
        GpuSteps base = new GpuSteps(config, topology, GuestLayout.baseImage());
        assertThat(base.drivers().get(1).describe().argv()).containsExactly("/sbin/modprobe", "nvidia-uvm");

        // Decided once: the extension appearing later does not change steps built for the base image.
        Files.createDirectories(root.resolve("run/kata-extensions/gpu"));
        assertThat(base.confComputeReadyState().get(0).describe().argv()).startsWith("/bin/nvidia-smi");

        GpuSteps extension = new GpuSteps(config, topology, GuestLayout.gpuExtension());
        BootContext context = fakes.context(BootConfig.defaults(), paths());
        runAll(extension.drivers(), context);
        extension.confComputeReadyState().get(0).run(context);
        assertThat(fakes.processes.argvs()).containsExactly(
                List.of("/sbin/modprobe", "--dirname", "/run/kata-extensions/gpu", "nvidia", "NVreg_NvLinkDisable=1"),
                List.of("/sbin/modprobe", "--dirname", "/run/kata-extensions/gpu", "nvidia-uvm"),
                List.of("/run/kata-extensions/gpu/bin/nvidia-smi", "conf-compute", "-srs", "1"));
    }

    @Test
    void aFileWhereTheExtensionShouldBeIsNoExtension() throws Exception {
        Files.createDirectories(root.resolve("run/kata-extensions"));
        Files.writeString(root.resolve("run/kata-extensions/gpu"), "");
        assertThat(gpuSteps(2, BootConfig.defaults()).drivers().get(0).describe().argv())
                .containsExactly("/sbin/modprobe", "nvidia");
    }

    @Test
    void dcgmDaemonsAreTrackedAndHealthNamesTheOneThatDied() throws BootFailure {
        GpuSteps gpu = gpuSteps(8, TestConfig.defaults().dcgm(true).build());
        BootContext context = fakes.context(BootConfig.defaults(), paths());
        // nv-hostengine -n prints its readiness on stdout, which reaches the sink like its syslog.
        fakes.hostengineAsDcgms();
        runAll(gpu.dcgm(), context);
        assertThat(context.daemons().all()).extracting(Daemon::name).containsExactly("nv-hostengine", "dcgm-exporter");
        Step health = gpu.health().get(0);
        health.run(context); // both still run

        FakeDaemon exporter = fakes.processes.daemons().get(1);
        exporter.print("level=fatal msg=\"Error: could not read /etc/dcgm-exporter/default-counters.csv\"");
        exporter.exit(ExitStatus.exited(1));
        assertThatThrownBy(() -> health.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("dcgm-exporter (pid 101) ended during the boot: exit code 1")
                .hasMessageContaining("default-counters.csv");
    }

    @Test
    void persistencedIsFollowedThroughItsPidFileAndItsDeathAfterItsParentExitedFailsHealth() throws Exception {
        GpuSteps gpu = gpuSteps(2, BootConfig.defaults());
        BootContext context = fakes.context(BootConfig.defaults(), paths());
        fakes.processes.whenStarted("nvidia-persistenced", launcher -> {
            // What the real one does: the child logs the marker, writes its pid file, the parent exits 0.
            fakes.syslog.log("nvidia-persistenced: Local RPC services initialized");
            try {
                Path pidFile = root.resolve(GpuSteps.PERSISTENCED_PID_FILE.substring(1));
                Files.createDirectories(pidFile.getParent());
                Files.writeString(pidFile, "812\n");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            launcher.exit(ExitStatus.exited(0));
        });
        runAll(gpu.persistenced(), context);
        assertThat(fakes.processes.followed()).extracting(Daemon::pid).containsExactly(812L);
        assertThat(context.daemons().all()).extracting(Daemon::pid).containsExactly(100L, 812L);
        Step health = gpu.health().get(0);
        health.run(context); // the launcher's exit 0 is expected
        fakes.processes.followed().get(0).exit(ExitStatus.killed(11));
        assertThatThrownBy(() -> health.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 812) ended during the boot: killed by signal 11");
    }

    @Test
    void dcgmIsOneInstanceAHostengineInTheForegroundAwaitedThenAnExporterConnectedToIt() throws BootFailure {
        GpuSteps gpu = gpuSteps(2, TestConfig.defaults().dcgm(true).build());
        PlanEntry hostengine = gpu.dcgm().get(0).describe();
        assertThat(hostengine.argv()).containsSubsequence("-n").containsSubsequence("--pid", "/run/nvhostengine.pid")
                .containsSubsequence("--log-filename", "/run/nv-hostengine.log");
        assertThat(hostengine.details()).containsEntry("await", "Started host engine version")
                .containsEntry("tracked", "the process started, which stays in the foreground: any end before the"
                        + " handoff fails the boot");
        assertThat(gpu.dcgm().get(1).describe().argv()).endsWith("-r", "localhost:5555");
        assertThat(gpu.persistenced().get(0).describe().details()).containsEntry("tracked", "the daemon it forks, by its"
                + " pid file /var/run/nvidia-persistenced/nvidia-persistenced.pid: the process started exits 0 once that"
                + " daemon is ready (non-zero fails the boot), the daemon's end fails the boot");
    }

    @Test
    void hostenginesReadinessTimeoutIsItsOwnKeyElseTheGeneralOne() throws Exception {
        java.util.function.Function<String, Object> waitOf = line -> {
            try {
                return gpuSteps(1, dev.nvrc.core.cmdline.ConfigParser.parse("nvrc.dcgm=on " + line)).dcgm().get(0)
                        .describe().details().get("timeout_s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(waitOf.apply("")).isEqualTo(300L);
        assertThat(waitOf.apply("nvrc.timeout=120")).isEqualTo(120L);
        assertThat(waitOf.apply("nvrc.timeout=120 nvrc.timeout.nv-hostengine=45")).isEqualTo(45L);
        // The other daemons' keys are theirs alone.
        assertThat(waitOf.apply("nvrc.timeout.nvidia-persistenced=900")).isEqualTo(300L);
    }

    @Test
    void daemonsAndHealthDescribeThemselves() throws BootFailure {
        GpuSteps gpu = gpuSteps(8, TestConfig.defaults().dcgm(true).build());
        assertThat(gpu.dcgm().get(0).describe().details()).containsEntry("runs", "background");
        assertThat(gpu.health().get(0).describe().argv()).isEmpty();
        assertThat(gpu.persistenced().get(0).describe().details())
                .containsEntry("mkdir", "/var/run/nvidia-persistenced")
                .containsEntry("await", "Local RPC services initialized");
    }
}
