package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.examples.LibraryExamples;
import dev.nvrc.testkit.SysfsFixture;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the examples of docs/library.md against fixture trees and checks what they give. */
class LibraryExamplesTest {
    @TempDir
    Path root;

    @Test
    void parseGivesTheLockedClocksOrEveryProblem() {
        assertThat(LibraryExamples.lockedClocks("console=hvc0 quiet nvrc.smi.lgc=1980 nvrc.dcgm=on"))
                .isEqualTo("1980 MHz");
        assertThat(LibraryExamples.lockedClocks("console=hvc0")).isEqualTo("not locked");
        assertThat(LibraryExamples.lockedClocks("nvrc.smi.lcg=1500 nvrc.mode=gpu nvrc.dcgm=maybe")).isEqualTo(
                "nvrc.smi.lcg=1500: unknown parameter, did you mean nvrc.smi.lgc?\n"
                        + "nvrc.dcgm=maybe: expected on/off, true/false, 1/0 or yes/no");
    }

    @Test
    void detectGivesTheModeOfEachKnownLayout() throws Exception {
        SysfsFixture.at(root.resolve("hgx")).gpus(8).nvSwitches(4);
        SysfsFixture.at(root.resolve("nvl5")).swMngNics(4);
        SysfsFixture.at(root.resolve("one")).gpus(1);
        Files.createDirectories(root.resolve("none/sys"));

        assertThat(LibraryExamples.modeOf(root.resolve("hgx"), ""))
                .isEqualTo("gpu (8 GPU, 4 NVSwitch, 0 SW_MNG NIC; fabric nvl4)");
        assertThat(LibraryExamples.modeOf(root.resolve("nvl5"), "quiet"))
                .isEqualTo("nvswitch-nvl5 (0 GPU, 0 NVSwitch, 4 SW_MNG NIC; fabric nvl5)");
        assertThat(LibraryExamples.modeOf(root.resolve("one"), "nvrc.mode=cpu"))
                .isEqualTo("cpu (1 GPU, 0 NVSwitch, 0 SW_MNG NIC; fabric none)");
        assertThat(LibraryExamples.modeOf(root.resolve("none"), ""))
                .isEqualTo("cpu (0 GPU, 0 NVSwitch, 0 SW_MNG NIC; fabric none)");
    }

    @Test
    void detectFailsAsTheBootWouldNamingWhatItFound() {
        SysfsFixture.at(root).gpus(3).nvSwitches(4);
        SysfsFixture.at(root.resolve("bad")).pci("0000:01:00.0", "0x10de", "0x2330", "garbage");
        SysfsFixture.at(root.resolve("mixed")).gpus(3).nvSwitches(1).swMngNics(1);

        assertThatThrownBy(() -> LibraryExamples.modeOf(root.resolve("mixed"), ""))
                .isInstanceOf(NvrcException.class)
                .hasMessageStartingWith("both NVSwitches (NVLink 3/4: ")
                .hasMessageEndingWith("cannot tell which fabric to bring up: 3 GPU, 1 NVSwitch, 1 SW_MNG NIC");
        assertThatThrownBy(() -> LibraryExamples.modeOf(root, "nvrc.mode=nvswitch-nvl5"))
                .isInstanceOf(NvrcException.class)
                .hasMessage("nvrc.mode=nvswitch-nvl5 needs a SW_MNG NIC (NVLink 5 management), found 3 GPU, 4 NVSwitch, 0 SW_MNG NIC");
        assertThatThrownBy(() -> LibraryExamples.modeOf(root.resolve("bad"), ""))
                .isInstanceOf(NvrcException.class)
                .hasMessageEndingWith("0000:01:00.0/class: expected a hex number of up to 6 digits such as 0x030200,"
                        + " found 'garbage'");
    }

    @Test
    void cdiWritesTheSpecTheInitWritesWithItsDeviceNames() throws Exception {
        CdiFixture.assumeNodesOfGroupRoot();
        NvrcPaths paths = CdiFixture.Machines.twoGpuExample(root).build();

        assertThat(LibraryExamples.writeCdiSpec(root)).containsExactly(
                "0", CdiFixture.Machines.UUID_0, "1", CdiFixture.Machines.UUID_1, "all");

        Path spec = root.resolve("var/run/cdi/nvidia.json");
        assertThat(Files.readString(spec)).isEqualTo(resource("/cdi/nvidia-2gpu.json"))
                .isEqualTo(CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)))));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spec))).isEqualTo("rw-r--r--");
    }

    @Test
    void cdiFindsTheKataGpuExtension() throws Exception {
        CdiFixture.assumeNodesOfGroupRoot();
        CdiFixture.Machines.kataExtensionExample(root).build();

        LibraryExamples.writeCdiSpec(root);

        assertThat(Files.readString(root.resolve("var/run/cdi/nvidia.json")))
                .isEqualTo(resource("/cdi/nvidia-2gpu-kata-extension.json"));
    }

    @Test
    void cdiFailsNamingTheMissingFileAndWritesNothing() throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("sys"));

        assertThatThrownBy(() -> LibraryExamples.writeCdiSpec(root))
                .isInstanceOf(NvrcException.class).hasMessageContaining("/proc/driver/nvidia/version");
        assertThat(root.resolve("var/run/cdi/nvidia.json")).doesNotExist();
        assertThatThrownBy(() -> LibraryExamples.writeCdiSpec(root.resolve("no-such-dir")))
                .isInstanceOf(NvrcException.class).hasMessage("under " + root.resolve("no-such-dir") + ": no such directory");
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = LibraryExamplesTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
