package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.core.topology.ModeDecision;
import dev.nvrc.core.topology.ModeDetector;
import dev.nvrc.core.topology.Topology;
import dev.nvrc.core.topology.TopologyReader;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The steps each mode runs, in order, against fake ports; and how each kind of failure ends. */
class BootCompositionTest {
    @TempDir
    Path root;

    final FakePorts fakes = new FakePorts();
    final AtomicLong clock = new AtomicLong();
    final BootReport report = new BootReport(clock::get);
    final List<String> kmsg = new ArrayList<>();
    final FailPath failPath = new FailPath(line -> kmsg.add("nvrc: " + line), fakes.init, report, () -> {
        throw new BootRunnerTest.PoweredOff();
    });
    final BootRunner runner = new BootRunner(report, failPath);

    List<String> boot(SysfsFixture machine, String cmdline) throws Exception {
        Config config = ConfigParser.parse(cmdline);
        Topology topology = new TopologyReader(machine.paths()).read();
        ModeDecision decision = ModeDetector.decide(config, topology);
        List<Step> steps = new ArrayList<>(BootPlan.modeSteps(config, topology, decision, machine.paths()));
        steps.addAll(BootPlan.finish(config, machine.paths(), report, () -> 7, Map.of("HOME", "/")));
        BootContext context = fakes.context(config, machine.paths());
        runner.watch(context.daemons());
        runner.runAll(steps, context);
        return steps.stream().map(Step::name).toList();
    }

    void persistencedBecomesReady() {
        fakes.processes.whenStarted("nvidia-persistenced", d -> fakes.syslog.log("Local RPC services initialized"));
    }

    @Test
    void cpuModeGoesStraightToTheHandoff() throws Exception {
        List<String> steps = boot(SysfsFixture.at(root), "nvrc.mode=cpu");
        assertThat(steps).containsExactly("health", "read-only root", "module lockdown", "jvm memory", "boot report",
                "handoff");
        assertThat(fakes.mounts.readOnly()).containsExactly("/");
        assertThat(fakes.sysctl.writes()).containsExactly("kernel.modules_disabled=1");
        assertThat(fakes.init.events()).containsExactly("rlimit NOFILE 1048576 1048576", "oom_score_adj 0 -997",
                "execve /usr/bin/kata-agent [/usr/bin/kata-agent] {HOME=/}");
        assertThat(fakes.processes.argvs()).containsExactly(List.of("/usr/lib/nvrc/bin/nvrc-drain", "7"));
        assertThat(Files.readString(root.resolve("run/nvrc/boot.json"))).contains("\"result\" : \"handoff\"");
        assertThat(kmsg).isEmpty();
    }

    @Test
    void gpuModeOrderWithEverySetting() throws Exception {
        persistencedBecomesReady();
        List<String> steps = boot(SysfsFixture.at(root).gpus(2),
                "nvrc.smi.lgc=1980 nvrc.smi.lmc=2619 nvrc.smi.pl=700 nvrc.smi.srs=1 nvrc.dcgm=on nvrc.cdi=ctk nvrc.log=debug");
        assertThat(steps).containsExactly("modprobe nvidia", "modprobe nvidia-uvm", "nvidia-persistenced",
                "nvidia-smi -lmc", "nvidia-smi -lgc", "nvidia-smi -pl", "nv-hostengine", "dcgm-exporter", "cdi",
                "nvidia-smi conf-compute -srs", "health", "read-only root", "module lockdown", "jvm memory",
                "boot report", "handoff");
        assertThat(fakes.processes.argvs()).containsExactly(
                List.of("/sbin/modprobe", "nvidia"),
                List.of("/sbin/modprobe", "nvidia-uvm"),
                List.of("/bin/nvidia-persistenced", "--verbose", "--uvm-persistence-mode"),
                List.of("/bin/nvidia-smi", "-lmc", "2619"),
                List.of("/bin/nvidia-smi", "-lgc", "1980"),
                List.of("/bin/nvidia-smi", "-pl", "700"),
                List.of("/bin/nv-hostengine", "--service-account", "nvidia-dcgm", "--home-dir", "/tmp"),
                List.of("/bin/dcgm-exporter", "-k", "-f", "/etc/dcgm-exporter/default-counters.csv"),
                List.of("/bin/nvidia-ctk", "-d", "cdi", "generate", "--output=/var/run/cdi/nvidia.yaml"),
                List.of("/bin/nvidia-smi", "conf-compute", "-srs", "1"),
                List.of("/usr/lib/nvrc/bin/nvrc-drain", "7", "--kmsg"));
    }

    @Test
    void gpusWithNvSwitchesRunFabricManagerBeforePersistenced() throws Exception {
        persistencedBecomesReady();
        fakes.processes.whenStarted("nv-fabricmanager", d -> fakes.syslog.log("FM starting NvLink Inband"));
        SysfsFixture machine = SysfsFixture.at(root).gpus(8).nvSwitches(4)
                .text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=1\n").dir("run");
        List<String> steps = boot(machine, "nvrc.cdi=ctk");
        assertThat(steps.subList(0, 6)).containsExactly("modprobe nvidia", "modprobe nvidia-uvm", "fabricmanager.cfg",
                "nv-fabricmanager", "health", "nvidia-persistenced");
        assertThat(Files.readString(root.resolve("run/fabricmanager.cfg"))).contains("FABRIC_MODE=0");
    }

    @Test
    void nvl4ServiceVm() throws Exception {
        fakes.processes.whenStarted("nv-fabricmanager", d -> fakes.syslog.log("FM starting NvLink Inband"));
        SysfsFixture machine = SysfsFixture.at(root).nvSwitches(4)
                .text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "# shipped\nFABRIC_MODE=0\n").dir("run");
        List<String> steps = boot(machine, "");
        assertThat(steps).containsExactly("modprobe nvidia", "fabricmanager.cfg", "nv-fabricmanager", "health",
                "health", "read-only root", "module lockdown", "jvm memory", "boot report", "handoff");
        assertThat(Files.readString(root.resolve("run/fabricmanager.cfg"))).startsWith("# shipped\nFABRIC_MODE=1\n");
    }

    @Test
    void extraModulesLoadInOrderAfterTheModesModulesAndBeforeTheLockdownInEveryMode() throws Exception {
        List<String> cpu = boot(SysfsFixture.at(root), "nvrc.mode=cpu nvrc.modules=dummy,vsock_loopback");
        assertThat(cpu).startsWith("modprobe dummy", "modprobe vsock_loopback", "health", "read-only root",
                "module lockdown");
        assertThat(fakes.processes.argvs()).startsWith(List.of("/sbin/modprobe", "dummy"),
                List.of("/sbin/modprobe", "vsock_loopback"));
        assertThat(fakes.sysctl.writes()).containsExactly("kernel.modules_disabled=1");
    }

    @Test
    void extraModulesFollowTheNvidiaModulesOfGpuModeAndTakeTheExtensionsNvidiaModules() throws Exception {
        persistencedBecomesReady();
        SysfsFixture machine = SysfsFixture.at(root).gpus(1).dir("run/kata-extensions/gpu");
        List<String> steps = boot(machine, "nvrc.cdi=ctk nvrc.modules=nvidia-peermem,dummy");
        assertThat(steps).containsSubsequence("modprobe nvidia", "modprobe nvidia-uvm", "nvidia-persistenced", "cdi",
                "modprobe nvidia-peermem", "modprobe dummy", "health", "module lockdown");
        assertThat(fakes.processes.argvs()).contains(
                List.of("/sbin/modprobe", "--dirname", "/run/kata-extensions/gpu", "nvidia-peermem"),
                List.of("/sbin/modprobe", "dummy"));
    }

    @Test
    void extraModulesLoadInTheServiceVmsToo() throws Exception {
        fakes.processes.whenStarted("nv-fabricmanager", d -> fakes.syslog.log("FM starting NvLink Inband"));
        SysfsFixture machine = SysfsFixture.at(root).nvSwitches(4)
                .text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=0\n").dir("run");
        List<String> steps = boot(machine, "nvrc.modules=dummy");
        assertThat(steps).containsSubsequence("modprobe nvidia", "nv-fabricmanager", "modprobe dummy", "health",
                "module lockdown");
    }

    @Test
    void aModuleThatDoesNotLoadFailsTheBootNamingItAndModprobesWords() {
        fakes.processes.failing("modprobe nosuchmod", ExitStatus.exited(1));
        assertThatThrownBy(() -> boot(SysfsFixture.at(root), "nvrc.modules=dummy,nosuchmod,later"))
                .isInstanceOf(BootRunnerTest.PoweredOff.class);
        assertThat(kmsg).singleElement().asString().startsWith(
                "nvrc: FAILED modprobe nosuchmod: cannot load module nosuchmod (nvrc.modules): modprobe nosuchmod failed");
        assertThat(fakes.processes.argvs()).containsExactly(List.of("/sbin/modprobe", "dummy"),
                List.of("/sbin/modprobe", "nosuchmod"));
        assertThat(fakes.sysctl.writes()).doesNotContain("kernel.modules_disabled=1");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aStepFailureGivesOneFailedLineAPowerOffAndNothingAfter() {
        fakes.processes.failing("modprobe", ExitStatus.exited(1));
        assertThatThrownBy(() -> boot(SysfsFixture.at(root).gpus(1), "")).isInstanceOf(BootRunnerTest.PoweredOff.class);
        assertThat(kmsg).singleElement().asString().startsWith("nvrc: FAILED modprobe nvidia: ");
        assertThat(fakes.init.events()).containsExactly("power off");
        assertThat(fakes.processes.argvs()).hasSize(1);
        assertThat(report.result()).isEqualTo("failed");
    }

    @Test
    void aReadinessTimeoutFailsNamingTheDaemonAndTheConfiguredTimeout() {
        assertThatThrownBy(() -> boot(SysfsFixture.at(root).gpus(1), "nvrc.timeout.nvidia-persistenced=5"))
                .isInstanceOf(BootRunnerTest.PoweredOff.class);
        assertThat(kmsg).singleElement().asString()
                .startsWith("nvrc: FAILED nvidia-persistenced: nvidia-persistenced did not log 'Local RPC services initialized' within 5 s");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aDaemonCrashingBeforeItsMarkerFailsAtOnce() {
        fakes.processes.whenStarted("nvidia-persistenced", d -> {
            d.print("failed to open /dev/nvidiactl");
            d.exit(ExitStatus.exited(1));
        });
        assertThatThrownBy(() -> boot(SysfsFixture.at(root).gpus(1), ""))
                .isInstanceOf(BootRunnerTest.PoweredOff.class);
        assertThat(kmsg).singleElement().asString().startsWith("nvrc: FAILED nvidia-persistenced: nvidia-persistenced (pid ")
                .contains("exit code 1").contains("failed to open /dev/nvidiactl");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aModeTheHardwareCannotServeFailsBeforeAnyStep() {
        assertThatThrownBy(() -> boot(SysfsFixture.at(root), "nvrc.mode=gpu"))
                .isInstanceOf(dev.nvrc.core.BootFailure.class).hasMessageContaining("gpu");
        assertThat(fakes.processes.calls()).isEmpty();
    }

    @Test
    void agentEnvironmentDropsTheStubsLoaderPathAndMarksTheGpuExtension() throws Exception {
        SysfsFixture machine = SysfsFixture.at(root).dir("run/kata-extensions/gpu");
        assertThat(BootPlan.agentEnv(machine.paths(), Map.of("LD_ORIGIN_PATH", "/x", "HOME", "/")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("HOME", "/", "KATA_ATTESTER_VARIANT", "nvidia"));
    }
}
