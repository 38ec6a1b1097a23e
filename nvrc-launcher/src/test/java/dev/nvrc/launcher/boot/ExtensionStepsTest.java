package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.Arch;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MountFlags;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.plan.FakeBootMachine;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@link Boot} against fakes on a tree with an extension device: the extension steps and what follows. */
class ExtensionStepsTest {
    static final String VERITY = "kata.extension.gpu.verity_params=root_hash=ab12,salt=cd34,data_blocks=8,"
            + "data_block_size=4096,hash_block_size=4096";
    static final String EXT = GuestLayout.GPU_EXTENSION;

    @TempDir
    Path root;

    FakeBootMachine machine;
    FakePorts fakes;
    Boot boot;

    SysfsFixture tree() {
        return SysfsFixture.at(root).gpus(1).dir("run").text("sys/block/vda/serial", "rootfs\n")
                .text("sys/block/vdb/serial", "extension-gpu\n")
                .text("sys/block/vdb/vdb1/partition", "1\n").text("sys/block/vdb/vdb2/partition", "2\n");
    }

    void on(SysfsFixture tree, String cmdline) {
        machine = new FakeBootMachine(tree, cmdline);
        fakes = machine.fakes;
        fakes.persistencedAsNvidias(root).hostengineAsDcgms();
        boot = new Boot(machine.machine());
    }

    List<String> names() {
        return boot.stepsRun().stream().map(Step::name).toList();
    }

    List<MountRequest> extensionMounts() {
        return fakes.mounts.mounted().stream().filter(m -> !m.target().startsWith("/proc") && !m.target().startsWith("/sys")
                && !List.of("/dev", "/run", "/tmp").contains(m.target())).toList();
    }

    @Test
    void theGpuExtensionIsVerifiedMountedAndUsedByEveryLaterStep() throws Exception {
        on(tree().dir("run/kata-extensions/gpu/lib/firmware/nvidia/570.172.08"), VERITY + " nvrc.cdi=ctk");
        boot.boot(0);

        assertThat(names()).containsSubsequence("cmdline", "extensions", "extension gpu", "gpu extension firmware",
                "gpu extension ld.so.cache", "topology", "modprobe nvidia", "modprobe nvidia-uvm",
                "nvidia-persistenced", "cdi", "handoff");
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
        assertThat(extensionMounts()).containsExactly(
                new MountRequest("/dev/mapper/extension-gpu", EXT, "erofs",
                        MountFlags.MS_RDONLY | MountFlags.MS_NOSUID | MountFlags.MS_NODEV, null, false),
                new MountRequest(root.resolve("run/kata-extensions/gpu/lib/firmware/nvidia").toString(),
                        "/lib/firmware/nvidia", "none", MountFlags.MS_BIND, null, false),
                new MountRequest(root.resolve("run/ld.so.cache").toString(), "/etc/ld.so.cache", "none",
                        MountFlags.MS_BIND, null, false));
        assertThat(Files.readString(root.resolve("run/ld.so.conf")))
                .isEqualTo("include /etc/ld.so.conf.d/*.conf\n" + EXT + "/usr/lib/" + Arch.current().triplet() + "\n");
        assertThat(root.resolve("run/kata-extensions/gpu")).isDirectory();
        assertThat(fakes.init.events()).anyMatch(e -> e.startsWith("execve /usr/bin/kata-agent")
                && e.contains("KATA_ATTESTER_VARIANT=nvidia"));
        assertThat(boot.report().toMap()).containsEntry("extensions", List.of("gpu"));
    }

    @Test
    void anExtensionWithoutFirmwareIsNotBoundOverTheBaseImages() {
        on(tree(), VERITY + " nvrc.mode=cpu");
        boot.boot(0);
        assertThat(extensionMounts()).extracting(MountRequest::target).containsExactly(EXT, "/etc/ld.so.cache");
    }

    @Test
    void aRefusedVerityOpenStopsTheBootNamingTheExtensionBeforeAnyMountOrDriver() {
        on(tree(), VERITY);
        fakes.processes.failing("veritysetup", ExitStatus.exited(1));
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString()
                .startsWith("nvrc: FAILED extension gpu: dm-verity refused /dev/vdb1 (veritysetup open): ");
        assertThat(extensionMounts()).isEmpty();
        assertThat(fakes.processes.argvs()).hasSize(1);
    }

    @Test
    void aDeviceWithoutParamsStopsTheBootBeforeAnythingRuns() {
        on(tree(), "nvrc.dcgm=on");
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).containsExactly("nvrc: FAILED extensions: extension gpu: block device vdb"
                + " (serial extension-gpu) has no kata.extension.gpu.verity_params on the command line; refusing an"
                + " unverified mount");
        assertThat(fakes.processes.calls()).isEmpty();
    }

    @Test
    void paramsWithoutADeviceStopTheBoot() {
        on(SysfsFixture.at(root).gpus(1).dir("run"), VERITY);
        assertThatThrownBy(() -> boot.boot(0)).isInstanceOf(FakeBootMachine.Parked.class);
        assertThat(machine.failedLines()).singleElement().asString()
                .startsWith("nvrc: FAILED extensions: extension gpu: kata.extension.gpu.verity_params is on the command line");
        assertThat(fakes.processes.calls()).isEmpty();
    }

    @Test
    void withoutExtensionsThereAreNoExtensionSteps() {
        on(SysfsFixture.at(root).dir("run"), "nvrc.mode=cpu");
        boot.boot(0);
        assertThat(names()).noneMatch(s -> s.startsWith("extension ") || s.startsWith("gpu extension"));
        assertThat(extensionMounts()).isEmpty();
        assertThat(fakes.init.events()).noneMatch(e -> e.contains("KATA_ATTESTER_VARIANT"));
    }
}
