package dev.nvrc.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.testkit.FakePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UvmToolsNodeStepTest {
    @TempDir
    Path root;

    private final FakePorts fakes = new FakePorts();

    private void procDevices(String text) throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/devices"), text);
    }

    private void run() throws BootFailure {
        new UvmToolsNodeStep().run(fakes.context(BootConfig.defaults(), NvrcPaths.under(root)));
    }

    @Test
    void theMajorComesFromTheExactCharacterDeviceLine() {
        for (int major : new int[] {234, 509}) {
            String devices = "Character devices:\n195 nvidia\n510 nvidia-uvm-tools\n\t" + major + "\tnvidia-uvm\n\n"
                    + "Block devices:\n8 nvidia-uvm\n";
            assertThat(UvmToolsNodeStep.uvmMajor(devices)).hasValue(major);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "509 nvidia-uvm\n", "Character devices:\n509 nvidia-uvm-tools\n",
        "Character devices:\n\nBlock devices:\n509 nvidia-uvm\n", "Character devices:\nbad nvidia-uvm\n",
        "Character devices:\n-1 nvidia-uvm\n", "Character devices:\n0 nvidia-uvm\n",
        "Character devices:\n4294967296 nvidia-uvm\n", "Character devices:\n509 nvidia-uvm extra\n",
        "Character devices:\n4096 nvidia-uvm\n"})
    void aMissingOrMalformedMajorIsNotGuessed(String devices) {
        assertThat(UvmToolsNodeStep.uvmMajor(devices)).isEmpty();
    }

    @Test
    void makesTheCharacterDeviceWithMinorOneAndMode0666() throws Exception {
        procDevices("Character devices:\n  1 mem\n195 nvidia-frontend\n510 nvidia-uvm\n\nBlock devices:\n  7 loop\n");
        run();
        assertThat(fakes.deviceNodes.nodes()).containsExactly(Map.entry("/dev/nvidia-uvm-tools", "c 510:1 0666"));
    }

    @Test
    void anExistingNodeStopsTheBootAndIsNotReplaced() throws Exception {
        procDevices("Character devices:\n510 nvidia-uvm\n");
        fakes.deviceNodes.existing("/dev/nvidia-uvm-tools", 1, 3, 0600);
        assertThatThrownBy(this::run).isInstanceOf(BootFailure.class).hasMessageContaining("File exists");
        assertThat(fakes.deviceNodes.nodes()).containsEntry("/dev/nvidia-uvm-tools", "c 1:3 0600");
    }

    @Test
    void noUvmDriverOrNoProcDevicesStopsTheBootSayingWhy() throws Exception {
        assertThatThrownBy(this::run).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("cannot read /proc/devices for nvidia-uvm's major");
        procDevices("Character devices:\n195 nvidia\n");
        assertThatThrownBy(this::run).isInstanceOf(BootFailure.class).hasMessage("/proc/devices lists no character"
                + " device 'nvidia-uvm' with a valid major (is nvidia-uvm loaded?), so /dev/nvidia-uvm-tools cannot be made");
        assertThat(fakes.deviceNodes.nodes()).isEmpty();
    }

    @Test
    void theStepFollowsNvidiaUvmOnlyWithTheParameter() throws Exception {
        PciTopology one = new PciTopology(List.of(new PciFunction("0000:10:00.0", 0x10de, 0x2330,
                0x030200)), List.of(), List.of());
        List<String> on = new GpuSteps(ConfigParser.parse("nvrc.uvm.tools=on"), one, GuestLayout.baseImage()).drivers()
                .stream().map(Step::name).toList();
        assertThat(on).containsExactly("modprobe nvidia", "modprobe nvidia-uvm", "nvidia-uvm-tools");
        List<String> off = new GpuSteps(BootConfig.defaults(), one, GuestLayout.baseImage()).drivers()
                .stream().map(Step::name).toList();
        assertThat(off).containsExactly("modprobe nvidia", "modprobe nvidia-uvm");
    }
}
