package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MountFlags;
import dev.nvrc.core.port.MountRequest;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extension steps of a boot run against fake ports, in the order Boot runs them. */
class ExtensionStepsTest {
    static final String VERITY = "kata.extension.gpu.verity_params=root_hash=ab12,salt=cd34,data_blocks=8,"
            + "data_block_size=4096,hash_block_size=4096";
    static final String EXT = GuestLayout.GPU_EXTENSION;

    @TempDir
    Path root;

    final FakePorts fakes = new FakePorts();
    final BootReport report = new BootReport(() -> 0);

    SysfsFixture machine() {
        return SysfsFixture.at(root).gpus(1).dir("run").text("sys/block/vdb/serial", "extension-gpu\n")
                .text("sys/block/vdb/vdb1/partition", "1\n").text("sys/block/vdb/vdb2/partition", "2\n");
    }

    /** extensions, its steps, topology, the mode's steps and the finish, as Boot orders them. */
    List<String> boot(SysfsFixture machine, String cmdline) throws Exception {
        Config config = ConfigParser.parse(cmdline);
        BootContext context = fakes.context(config, machine.paths());
        ExtensionsStep extensions = new ExtensionsStep(config, report);
        extensions.run(context);
        List<Step> steps = new ArrayList<>(BootPlan.extensions(extensions.extensions()));
        Topology topology = new TopologyReader(machine.paths()).read();
        ModeDecision decision = ModeDetector.decide(config, topology);
        steps.addAll(BootPlan.modeSteps(config, topology, decision, extensions.layout()));
        steps.addAll(BootPlan.finish(config, extensions.layout(), report, () -> 7, Map.of("HOME", "/")));
        for (Step step : steps) {
            step.run(context);
        }
        return steps.stream().map(Step::name).toList();
    }

    @Test
    void theGpuExtensionIsVerifiedMountedAndUsedByEveryLaterStep() throws Exception {
        SysfsFixture machine = machine().dir("run/kata-extensions/gpu/lib/firmware/nvidia/570.172.08");
        fakes.processes.whenStarted("nvidia-persistenced", d -> fakes.syslog.log("Local RPC services initialized"));
        List<String> steps = boot(machine, VERITY + " nvrc.cdi=ctk");

        assertThat(steps).startsWith("extension gpu", "gpu extension firmware", "gpu extension ld.so.cache",
                "modprobe nvidia", "modprobe nvidia-uvm", "nvidia-persistenced", "cdi");
        assertThat(fakes.processes.argvs()).startsWith(
                List.of("/usr/sbin/veritysetup", "open", "--no-superblock", "--hash", "sha256", "--data-block-size",
                        "4096", "--hash-block-size", "4096", "--data-blocks", "8", "--salt", "cd34", "/dev/vdb1",
                        "extension-gpu", "/dev/vdb2", "ab12"),
                List.of("/sbin/ldconfig", "-X", "-f", "/run/ld.so.conf", "-C", "/run/ld.so.cache"),
                List.of("/sbin/modprobe", "--dirname", EXT, "nvidia", "NVreg_NvLinkDisable=1"),
                List.of("/sbin/modprobe", "--dirname", EXT, "nvidia-uvm"),
                List.of(EXT + "/bin/nvidia-persistenced", "--verbose", "--uvm-persistence-mode"),
                List.of(EXT + "/bin/nvidia-ctk", "-d", "cdi", "generate", "--output=/var/run/cdi/nvidia.yaml",
                        "--driver-root=" + EXT, "--dev-root=/", "--nvidia-cdi-hook-path=" + EXT + "/bin/nvidia-cdi-hook"));
        assertThat(fakes.mounts.mounted()).containsExactly(
                new MountRequest("/dev/mapper/extension-gpu", EXT, "erofs",
                        MountFlags.MS_RDONLY | MountFlags.MS_NOSUID | MountFlags.MS_NODEV, null, false),
                new MountRequest(root.resolve("run/kata-extensions/gpu/lib/firmware/nvidia").toString(),
                        "/lib/firmware/nvidia", "none", MountFlags.MS_BIND, null, false),
                new MountRequest(root.resolve("run/ld.so.cache").toString(), "/etc/ld.so.cache", "none",
                        MountFlags.MS_BIND, null, false));
        assertThat(Files.readString(root.resolve("run/ld.so.conf")))
                .isEqualTo("include /etc/ld.so.conf.d/*.conf\n" + EXT + "/usr/lib/" + GuestLayout.multiarchTriplet() + "\n");
        assertThat(root.resolve("run/kata-extensions/gpu")).isDirectory();
        assertThat(fakes.init.events()).anyMatch(e -> e.startsWith("execve /usr/bin/kata-agent")
                && e.contains("KATA_ATTESTER_VARIANT=nvidia"));
        assertThat(report.toMap().toString()).contains("extensions=[gpu]");
    }

    @Test
    void anExtensionWithoutFirmwareIsNotBoundOverTheBaseImages() throws Exception {
        boot(machine(), VERITY + " nvrc.mode=cpu");
        assertThat(fakes.mounts.mounted()).extracting(MountRequest::target)
                .containsExactly(EXT, "/etc/ld.so.cache");
    }

    @Test
    void aRefusedVerityOpenStopsTheBootNamingTheExtensionBeforeAnyMount() {
        fakes.processes.failing("veritysetup", ExitStatus.exited(1));
        assertThatThrownBy(() -> boot(machine(), VERITY))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("extension gpu: dm-verity refused /dev/vdb1 (veritysetup open): ");
        assertThat(fakes.mounts.mounted()).isEmpty();
        assertThat(fakes.processes.argvs()).hasSize(1);
    }

    @Test
    void aDeviceWithoutParamsStopsTheBootBeforeAnythingRuns() {
        assertThatThrownBy(() -> boot(machine(), ""))
                .isInstanceOf(BootFailure.class).hasMessageContaining("refusing an unverified mount");
        assertThat(fakes.processes.calls()).isEmpty();
        assertThat(fakes.mounts.mounted()).isEmpty();
    }

    @Test
    void withoutExtensionsThereAreNoExtensionSteps() throws Exception {
        List<String> steps = boot(SysfsFixture.at(root).dir("run"), "nvrc.mode=cpu");
        assertThat(steps).noneMatch(s -> s.startsWith("extension") || s.startsWith("gpu extension"));
        assertThat(fakes.mounts.mounted()).isEmpty();
        assertThat(fakes.init.events()).noneMatch(e -> e.contains("KATA_ATTESTER_VARIANT"));
    }
}
