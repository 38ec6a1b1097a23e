package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.plan.FakeBootMachine;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@link Boot} against fakes on fixture trees: the steps each mode runs, and how each kind of failure ends. */
class BootCompositionTest {
    /** What every boot does before the command line is read. */
    static final List<String> BASICS = List.of("mount /proc", "mount /dev", "mount /sys", "mount /run", "mount /tmp",
            "mount /sys/kernel/security", "mount /sys/kernel/config", "loopback", "kernel log",
            "sysctl net.core.rmem_default", "sysctl net.core.wmem_default", "sysctl net.core.rmem_max",
            "sysctl net.core.wmem_max", "syslog /dev/log", "cmdline", "kata-agent", "extensions", "topology");
    /** What every boot does last. */
    static final List<String> FINISH = List.of("health", "read-only root", "module lockdown", "jvm memory",
            "boot report", "handoff");

    @TempDir
    Path root;

    FakeBootMachine machine;
    FakePorts fakes;
    Boot boot;

    FakeBootMachine on(SysfsFixture tree, String cmdline) {
        machine = new FakeBootMachine(tree, cmdline);
        fakes = machine.fakes;
        boot = new Boot(machine.machine());
        return machine;
    }

    /** Boots and returns the names of the steps run after the topology, finish excluded when it ran. */
    List<String> boot(SysfsFixture tree, String cmdline) {
        on(tree, cmdline);
        boot.boot(0);
        return names();
    }

    List<String> names() {
        List<String> names = boot.stepsRun().stream().map(Step::name).toList();
        assertThat(names).startsWith(BASICS.toArray(String[]::new));
        return names.subList(BASICS.size(), names.size());
    }

    /** The tree with a block device that carries the gpu extension (serial extension-gpu, two partitions). */
    static SysfsFixture withGpuExtensionDevice(SysfsFixture tree) {
        return tree.dir("run").text("sys/block/vdb/serial", "extension-gpu\n")
                .text("sys/block/vdb/vdb1/partition", "1\n").text("sys/block/vdb/vdb2/partition", "2\n");
    }

    void persistencedBecomesReady() {
        fakes.persistencedAsNvidias(root).hostengineAsDcgms();
    }

    @Test
    void cpuModeGoesStraightToTheHandoff() throws Exception {
        List<String> steps = boot(SysfsFixture.at(root), "nvrc.mode=cpu");
        assertThat(steps).containsExactlyElementsOf(FINISH);
        assertThat(fakes.mounts.mounted()).extracting(m -> m.target()).containsExactly("/proc", "/dev", "/sys", "/run",
                "/tmp", "/sys/kernel/security");
        assertThat(fakes.mounts.readOnly()).containsExactly("/");
        assertThat(fakes.network.isLoopbackUp()).isTrue();
        assertThat(fakes.sysctl.writes()).containsExactly("net.core.rmem_default=16777216",
                "net.core.wmem_default=16777216", "net.core.rmem_max=16777216", "net.core.wmem_max=16777216",
                "kernel.modules_disabled=1");
        assertThat(machine.fakes.syslog.socketEvents()).containsExactly("bind /dev/log", "release");
        assertThat(fakes.init.events()).containsExactly("rlimit NOFILE 1048576 1048576", "oom_score_adj 0 -997",
                "execve /usr/bin/kata-agent [/usr/bin/kata-agent] {HOME=/, TERM=linux}");
        assertThat(fakes.processes.argvs()).containsExactly(List.of("/usr/lib/nvrc/bin/nvrc-drain", "7"));
        assertThat(Files.readString(root.resolve("run/nvrc/boot.json"))).contains("\"result\" : \"handoff\"")
                .contains("\"mode\" : \"cpu\"");
        assertThat(machine.kmsg).containsExactly("(kmsg)");
        assertThat(machine.uncaught.get()).isNotNull();
    }

    @Test
    void aKernelWithoutModuleSupportHasNoLockdownToWriteAndStillHandsOff() throws Exception {
        on(SysfsFixture.at(root), "nvrc.mode=cpu");
        fakes.sysctl.absent("kernel.modules_disabled");
        boot.boot(0);
        assertThat(names()).containsExactlyElementsOf(FINISH);
        assertThat(fakes.sysctl.writes()).doesNotContain("kernel.modules_disabled=1");
        assertThat(boot.report().toMap()).containsEntry("module_lockdown",
                "not applicable: the kernel has no module support");
        assertThat(Files.readString(root.resolve("run/nvrc/boot.json"))).contains("\"result\" : \"handoff\"");
    }

    @Test
    void theLockdownIsRecordedWhenWritten() throws Exception {
        boot(SysfsFixture.at(root), "nvrc.mode=cpu");
        assertThat(boot.report().toMap()).containsEntry("module_lockdown", "locked");
    }

    @Test
    void anImageWithoutKataAgentStopsRightAfterTheCommandLineBeforeAnyGpuWork() throws Exception {
        on(SysfsFixture.at(root).gpus(2), "");
        Files.delete(root.resolve("usr/bin/kata-agent"));
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString().startsWith("nvrc: FAILED kata-agent: /usr/bin/kata-agent")
                .contains("does not exist: the image must ship kata-agent");
        assertThat(boot.stepsRun().stream().map(Step::name).toList()).endsWith("cmdline", "kata-agent");
        assertThat(fakes.processes.calls()).isEmpty();
    }

    @Test
    void gpuModeOrderWithEverySetting() throws Exception {
        on(SysfsFixture.at(root).gpus(2),
                "nvrc.smi.lgc=1980 nvrc.smi.lmc=2619 nvrc.smi.pl=700 nvrc.smi.srs=1 nvrc.dcgm=on nvrc.cdi=ctk nvrc.log=debug");
        persistencedBecomesReady();
        boot.boot(0);
        assertThat(names()).containsExactly("modprobe nvidia", "modprobe nvidia-uvm", "nvidia-persistenced",
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
                List.of("/bin/nv-hostengine", "-n", "--service-account", "nvidia-dcgm", "--home-dir", "/tmp", "--pid",
                        "/run/nvhostengine.pid", "--log-filename", "/run/nv-hostengine.log"),
                List.of("/bin/dcgm-exporter", "-k", "-f", "/etc/dcgm-exporter/default-counters.csv", "-r",
                        "localhost:5555"),
                List.of("/bin/nvidia-ctk", "-d", "cdi", "generate", "--output=/var/run/cdi/nvidia.yaml"),
                List.of("/bin/nvidia-smi", "conf-compute", "-srs", "1"),
                List.of("/usr/lib/nvrc/bin/nvrc-drain", "7", "--kmsg"));
        assertThat(fakes.sysctl.writes()).contains("kernel.printk_devkmsg=on\n");
        assertThat(machine.kmsg).contains("nvrc: nvrc version=test sha256=" + FakeBootMachine.SHA256);
        assertThat(boot.report().toMap()).containsEntry("sha256", FakeBootMachine.SHA256).containsEntry("version", "test");
    }

    @Test
    void gpusWithNvSwitchesRunFabricManagerBeforePersistenced() throws Exception {
        SysfsFixture tree = SysfsFixture.at(root).gpus(8).nvSwitches(4)
                .text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=1\n").dir("run");
        on(tree, "nvrc.cdi=ctk");
        persistencedBecomesReady();
        fabricManagerComesUp();
        boot.boot(0);
        assertThat(names().subList(0, 6)).containsExactly("modprobe nvidia", "modprobe nvidia-uvm",
                "fabricmanager.cfg", "nv-fabricmanager", "health", "nvidia-persistenced");
        assertThat(Files.readString(root.resolve("run/fabricmanager.cfg"))).contains("FABRIC_MODE=0");
    }

    @Test
    void nvl4ServiceVm() throws Exception {
        on(nvl4ServiceVm("# shipped\nFABRIC_MODE=0\n"), "");
        fabricManagerComesUp();
        boot.boot(0);
        assertThat(names()).containsExactly("modprobe nvidia", "fabricmanager.cfg", "nv-fabricmanager", "health",
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
        assertThat(fakes.sysctl.writes()).endsWith("kernel.modules_disabled=1");
    }

    @Test
    void extraModulesFollowTheNvidiaModulesOfGpuModeAndTakeTheExtensionsNvidiaModules() throws Exception {
        on(withGpuExtensionDevice(SysfsFixture.at(root).gpus(1)),
                ExtensionStepsTest.VERITY + " nvrc.cdi=ctk nvrc.modules=nvidia-peermem,dummy");
        persistencedBecomesReady();
        boot.boot(0);
        assertThat(boot.stepsRun().stream().map(Step::name).toList()).containsSubsequence("extension gpu",
                "modprobe nvidia", "modprobe nvidia-uvm", "nvidia-persistenced", "cdi",
                "modprobe nvidia-peermem", "modprobe dummy", "health", "module lockdown");
        assertThat(fakes.processes.argvs()).contains(
                List.of("/sbin/modprobe", "--dirname", "/run/kata-extensions/gpu", "nvidia-peermem"),
                List.of("/sbin/modprobe", "dummy"));
    }

    @Test
    void extraModulesLoadInTheServiceVmsToo() throws Exception {
        on(nvl4ServiceVm("FABRIC_MODE=0\n"), "nvrc.modules=dummy");
        fabricManagerComesUp();
        boot.boot(0);
        assertThat(names()).containsSubsequence("modprobe nvidia", "nv-fabricmanager", "modprobe dummy", "health",
                "module lockdown");
    }

    @Test
    void aModuleThatDoesNotLoadFailsTheBootNamingItAndModprobesWords() {
        on(SysfsFixture.at(root), "nvrc.modules=dummy,nosuchmod,later");
        fakes.processes.failing("/sbin/modprobe nosuchmod", ExitStatus.exited(1),
                List.of("modprobe: FATAL: Module nosuchmod not found in directory /lib/modules/6.1.0"));
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).containsExactly("nvrc: FAILED modprobe nosuchmod: cannot load module nosuchmod"
                + " (nvrc.modules): modprobe failed: exit code 1 (/sbin/modprobe nosuchmod); last output: modprobe: FATAL:"
                + " Module nosuchmod not found in directory /lib/modules/6.1.0");
        assertThat(fakes.processes.argvs()).containsExactly(List.of("/sbin/modprobe", "dummy"),
                List.of("/sbin/modprobe", "nosuchmod"));
        assertThat(fakes.sysctl.writes()).doesNotContain("kernel.modules_disabled=1");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aBadCommandLineFailsAtCmdlineAfterTheBasicsAndChangesNothingMore() {
        on(SysfsFixture.at(root).gpus(1), "nvrc.smi.lcg=1500");
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString()
                .startsWith("nvrc: FAILED cmdline: nvrc.smi.lcg=1500: unknown parameter, did you mean nvrc.smi.lgc?");
        assertThat(boot.stepsRun()).extracting(Step::name).endsWith("syslog /dev/log", "cmdline");
        assertThat(fakes.processes.calls()).isEmpty();
        assertThat(fakes.init.events()).containsExactly("power off");
        assertThat(boot.report().result()).isEqualTo("failed");
    }

    @Test
    void aStepFailureGivesOneFailedLineAPowerOffAndNothingAfter() {
        on(SysfsFixture.at(root).gpus(1), "");
        fakes.processes.failing("modprobe", ExitStatus.exited(1));
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString().startsWith("nvrc: FAILED modprobe nvidia: ");
        assertThat(fakes.init.events()).containsExactly("power off");
        assertThat(fakes.processes.argvs()).hasSize(1);
        assertThat(boot.report().result()).isEqualTo("failed");
    }

    @Test
    void aReadinessTimeoutFailsNamingTheDaemonAndTheConfiguredTimeout() {
        on(SysfsFixture.at(root).gpus(1), "nvrc.timeout.nvidia-persistenced=5");
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString()
                .isEqualTo("nvrc: FAILED nvidia-persistenced: nvidia-persistenced (pid 100) did not log"
                        + " \"Local RPC services initialized\" within 5 s");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aDaemonCrashingBeforeItsMarkerFailsAtOnce() {
        on(SysfsFixture.at(root).gpus(1), "");
        fakes.processes.whenStarted("nvidia-persistenced", d -> {
            d.print("failed to open /dev/nvidiactl");
            d.exit(ExitStatus.exited(1));
        });
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString()
                .startsWith("nvrc: FAILED nvidia-persistenced: nvidia-persistenced (pid ")
                .contains("exit code 1").contains("failed to open /dev/nvidiactl");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aModeTheHardwareCannotServeFailsAtTopology() {
        on(SysfsFixture.at(root), "nvrc.mode=gpu");
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString().startsWith("nvrc: FAILED topology: ")
                .contains("gpu");
        assertThat(fakes.processes.calls()).isEmpty();
    }

    @Test
    void agentEnvironmentDropsTheStubsLoaderPathAndMarksTheGpuExtension() throws Exception {
        on(withGpuExtensionDevice(SysfsFixture.at(root)), ExtensionStepsTest.VERITY + " nvrc.mode=cpu");
        boot.boot(0);
        assertThat(fakes.init.events()).contains(
                "execve /usr/bin/kata-agent [/usr/bin/kata-agent] {HOME=/, KATA_ATTESTER_VARIANT=nvidia, TERM=linux}");
    }

    /** An NVLink 4 service VM (four NVSwitches, no GPU) shipping {@code cfg} as its Fabric Manager config. */
    private SysfsFixture nvl4ServiceVm(String cfg) {
        return SysfsFixture.at(root).nvSwitches(4).text("usr/share/nvidia/nvswitch/fabricmanager.cfg", cfg).dir("run");
    }

    /** Fabric Manager logs its readiness marker as soon as it is started. */
    private void fabricManagerComesUp() {
        fakes.processes.whenStarted("nv-fabricmanager", d -> fakes.syslog.log("FM starting NvLink Inband"));
    }
}
