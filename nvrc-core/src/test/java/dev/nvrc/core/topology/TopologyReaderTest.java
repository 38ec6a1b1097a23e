package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopologyReaderTest {
    @TempDir
    Path root;

    private PciTree tree() {
        return new PciTree(root);
    }

    private PciTopology read() throws BootFailure {
        return new TopologyReader(tree().paths()).read();
    }

    @Test
    void noPciBusIsAnEmptyTopology() throws BootFailure {
        assertThat(read()).isEqualTo(new PciTopology(List.of(), List.of(), List.of()));
    }

    @Test
    void zeroGpusWhenOnlyOtherVendorsArePresent() throws BootFailure {
        tree().device("0000:00:01.0", "0x1af4", "0x1041", "0x020000")
                .device("0000:00:00.0", "0x8086", "0x29c0", "0x060000");
        assertThat(read().summary()).isEqualTo("0 GPU, 0 NVSwitch, 0 SW_MNG NIC");
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 8, 16})
    void countsGpus(int count) throws BootFailure {
        tree().gpus(count);
        PciTopology t = read();
        assertThat(t.gpus()).hasSize(count);
        assertThat(t.gpus()).allSatisfy(d -> {
            assertThat(d.vendorId()).isEqualTo(0x10de);
            assertThat(d.deviceId()).isEqualTo(0x2330);
            assertThat(d.classCode()).isEqualTo(0x030200);
        });
        assertThat(t.nvSwitches()).isEmpty();
        assertThat(t.swMngNics()).isEmpty();
    }

    @Test
    void vgaAnd3dControllersAreGpusSortedByBdfButDisplayOtherIsNot() throws BootFailure {
        tree().device("0000:c1:00.0", "0x10de", "0x2331", "0x030200")
                .device("0000:41:00.0", "0x10de", "0x1eb8", "0x030000")
                .device("0000:0b:00.0", "0x10de", "0x20b5", "0x030201")
                .device("0000:0a:00.0", "0x10de", "0x20b5", "0x038000");
        assertThat(read().gpus()).extracting(PciFunction::bdf)
                .containsExactly("0000:0b:00.0", "0000:41:00.0", "0000:c1:00.0");
    }

    @Test
    void nvl4EightGpusAndFourNvSwitches() throws BootFailure {
        tree().gpus(8).nvSwitches(4);
        assertThat(read().summary()).isEqualTo("8 GPU, 4 NVSwitch, 0 SW_MNG NIC");
    }

    @Test
    void nvl4FourNvSwitchesAlone() throws BootFailure {
        tree().nvSwitches(4);
        PciTopology t = read();
        assertThat(t.summary()).isEqualTo("0 GPU, 4 NVSwitch, 0 SW_MNG NIC");
        assertThat(t.nvSwitches().get(0).classCode()).isEqualTo(0x068000);
    }

    @Test
    void nvl5EightGpusAndFourSwMngNics() throws BootFailure {
        tree().gpus(8).swMngNics(4);
        assertThat(read().summary()).isEqualTo("8 GPU, 0 NVSwitch, 4 SW_MNG NIC");
    }

    @Test
    void nvl5FourSwMngNicsAlone() throws BootFailure {
        tree().swMngNics(4);
        PciTopology t = read();
        assertThat(t.summary()).isEqualTo("0 GPU, 0 NVSwitch, 4 SW_MNG NIC");
        assertThat(t.swMngNics().get(0)).isEqualTo(new PciFunction("0000:c0:00.0", 0x15b3, 0x1021, 0x020700));
    }

    @Test
    void mellanoxFunctionsWithoutTheSwMngFieldAreNotCounted() throws BootFailure {
        tree().device("0000:c0:00.0", "0x15b3", "0x1021", "0x020700") // no vpd file at all
                .device("0000:c0:00.1", "0x15b3", "0x1021", "0x020700")
                .write("0000:c0:00.1", "vpd", vpd("MLX:MN=MLNX:MODL=CX75310AAS"))
                .device("0000:c0:00.2", "0x15b3", "0x101e", "0x020700")
                .write("0000:c0:00.2", "vpd", new byte[0])
                // "SW_MNG" as the product name is not the SMDL field.
                .device("0000:c0:00.3", "0x15b3", "0x1021", "0x020700")
                .write("0000:c0:00.3", "vpd", new PciVpd("CX7 SW_MNG", List.of(new PciVpd.Keyword("VA",
                        "MLX:SMDL=SW_MNGX:MODL=SW_MNG"))).toBytes())
                // Odd bytes that parse as nothing and never say SW_MNG: a compute NIC, booting on.
                .device("0000:c0:00.4", "0x15b3", "0x1021", "0x020700")
                .write("0000:c0:00.4", "vpd", "\u0000\u00ff garbage");
        assertThat(read().swMngNics()).isEmpty();
    }

    @Test
    void theSwMngFieldCountsOnlyExactlyAndOnlyInTheVaKeyword() throws BootFailure {
        tree().device("0000:c0:00.0", "0x15b3", "0x1021", "0x020700")
                .write("0000:c0:00.0", "vpd", vpd("SMDL=SW_MNG"))
                .device("0000:c1:00.0", "0x15b3", "0x1021", "0x020700")
                .write("0000:c1:00.0", "vpd", new PciVpd("", List.of(new PciVpd.Keyword("PN", "X"),
                        new PciVpd.Keyword("V5", "MLX:SMDL=SW_MNG"))).toBytes())
                .device("0000:c2:00.0", "0x15b3", "0x1021", "0x020700")
                .write("0000:c2:00.0", "vpd", vpd("MLX:SMDL=SW_MNG\u0000\u0000"))
                .device("0000:c3:00.0", "0x15b3", "0x1021", "0x020700")
                .write("0000:c3:00.0", "vpd", vpd("MLX:SMDL=SW_MNG_OTHER:OTHER_SMDL=SW_MNG:SW_MNG"));
        assertThat(read().swMngNics()).extracting(PciFunction::bdf).containsExactly("0000:c0:00.0");
    }

    @Test
    void theUnmarkedSiblingsOfAMarkedFunctionCountButNotItsVirtualFunctions() throws Exception {
        tree().device("0000:05:00.0", "0x15b3", "0x1021", "0x020700")
                .write("0000:05:00.0", "vpd", vpd("MLX:SMDL=SW_MNG"))
                .device("0000:05:00.1", "0x15b3", "0x1021", "0x020700")           // the bridge's other PF
                .device("0000:05:00.3", "0x15b3", "0x1021", "0x020700")
                .write("0000:05:00.3", "vpd", vpd("MLX:MODL=CX7"))
                .device("0000:05:00.5", "0x15b3", "0x101e", "0x020700")           // a VF of .0
                .device("0000:06:00.0", "0x15b3", "0x1021", "0x020700")           // another slot
                .device("0001:05:00.0", "0x15b3", "0x1021", "0x020700")           // another domain
                .device("0000:05:00.2", "0x8086", "0x1572", "0x020000");          // not Mellanox
        Files.createSymbolicLink(tree().function("0000:05:00.5").resolve("physfn"), Path.of("../0000:05:00.0"));
        assertThat(read().swMngNics()).extracting(PciFunction::bdf)
                .containsExactly("0000:05:00.0", "0000:05:00.1", "0000:05:00.3");
    }

    @Test
    void aMarkedVirtualFunctionIsNoManagementFunction() throws Exception {
        tree().device("0000:05:00.2", "0x15b3", "0x101e", "0x020700")
                .write("0000:05:00.2", "vpd", vpd("MLX:SMDL=SW_MNG"))
                .device("0000:05:00.0", "0x15b3", "0x1021", "0x020700");
        Files.createSymbolicLink(tree().function("0000:05:00.2").resolve("physfn"), Path.of("../0000:05:00.0"));
        assertThat(read().swMngNics()).isEmpty();
    }

    @Test
    void aMalformedVpdThatMentionsSwMngFailsNamingTheFile() {
        tree().device("0000:c0:00.0", "0x15b3", "0x1021", "0x020700")
                .write("0000:c0:00.0", "vpd", "\u0082\u0040\u0000ConnectX-7 SW_MNG"); // length past the data
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:c0:00.0/vpd: malformed VPD (resource 0x82 at offset 0 has length 64")
                .hasMessageContaining("that mentions SW_MNG");
    }

    @Test
    void anNvidiaFunctionWhoseDirectoryIsNoPciAddressFailsNamingIt() {
        tree().device("gpu0", "0x10de", "0x2330", "0x030200");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("/gpu0: not a PCI address (0000:41:00.0): gpu0");
    }

    private static byte[] vpd(String va) {
        return new PciVpd("ConnectX-7", List.of(new PciVpd.Keyword("PN", "MCX75"), new PciVpd.Keyword("VA", va),
                new PciVpd.Keyword("RV", "\u0000"))).toBytes();
    }

    @Test
    void swMngInTheVpdOfAnotherVendorDoesNotCount() throws BootFailure {
        tree().device("0000:c0:00.0", "0x8086", "0x1592", "0x020000")
                .write("0000:c0:00.0", "vpd", "SW_MNG");
        assertThat(read().swMngNics()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x040300", "0x040380", "0x0c0330", "0x0c8000", "0x060400", "0x060000"})
    void gpuCompanionFunctionsAreIgnored(String pciClass) throws BootFailure {
        tree().gpus(1).device("0000:10:00.1", "0x10de", "0x22e8", pciClass);
        PciTopology t = read();
        assertThat(t.gpus()).extracting(PciFunction::bdf).containsExactly("0000:10:00.0");
        assertThat(t.nvSwitches()).isEmpty();
    }

    @Test
    void anUnknownNvidiaDeviceClassFailsNamingTheFunctionAndClass() {
        tree().gpus(1).device("0000:3b:00.0", "0x10de", "0x2901", "0x120000");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:3b:00.0")
                .hasMessageContaining("NVIDIA device 0x2901")
                .hasMessageContaining("class 0x120000")
                .hasMessageContaining("does not know");
    }

    @Test
    void aNonHexVendorFailsNamingTheFile() {
        tree().device("0000:41:00.0", "nvidia", "0x2330", "0x030200");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith(root.resolve("sys/bus/pci/devices/0000:41:00.0/vendor").toString())
                .hasMessageContaining("found 'nvidia'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10de", "0x", "0x10de0", "0x10dg", "0x10de 0x10de"})
    void malformedVendorTextsFail(String vendor) {
        tree().device("0000:41:00.0", vendor, "0x2330", "0x030200");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("vendor: expected a hex number");
    }

    @Test
    void binaryGarbageIsQuotedReadably() {
        tree().write("0000:41:00.0", "vendor", new byte[] {'0', 'x', 1, (byte) 0xff});
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("found '0x\\x01\\xff'");
    }

    @Test
    void aVeryLongGarbageValueIsCut() {
        tree().write("0000:41:00.0", "vendor", "0x" + "z".repeat(500));
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("found '0x" + "z".repeat(38) + "...'");
    }

    @Test
    void uppercaseHexIsAccepted() throws BootFailure {
        tree().device("0000:41:00.0", "0x10DE", "0x2330", "0x030200");
        assertThat(read().gpus()).hasSize(1);
    }

    @Test
    void aMissingVendorFailsNamingTheFile() {
        tree().device("0000:41:00.0", "0x10de", "0x2330", "0x030200").delete("0000:41:00.0", "vendor");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:41:00.0/vendor: missing");
    }

    @Test
    void aMissingClassOfAnNvidiaFunctionFails() {
        tree().device("0000:41:00.0", "0x10de", "0x2330", "0x030200").delete("0000:41:00.0", "class");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:41:00.0/class: missing");
    }

    @Test
    void aGarbageClassOfAnNvidiaFunctionFails() {
        tree().device("0000:41:00.0", "0x10de", "0x2330", "display");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:41:00.0/class: expected a hex number of up to 6 digits such as 0x030200")
                .hasMessageContaining("found 'display'");
    }

    @Test
    void aGarbageDeviceIdOfAnNvidiaFunctionFails() {
        tree().device("0000:41:00.0", "0x10de", "H100", "0x030200");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:41:00.0/device: expected a hex number");
    }

    @Test
    void oddFilesOfIrrelevantDevicesDoNotFailTheBoot() throws BootFailure {
        tree().device("0000:00:02.0", "0x1af4", "virtio", "???")
                .device("0000:00:03.0", "0x8086", "0x1234", "0x010000").delete("0000:00:03.0", "class")
                .write("0000:00:03.0", "vpd", new byte[] {(byte) 0xff})
                .gpus(1);
        assertThat(read().gpus()).hasSize(1);
    }

    @Test
    void anUnreadableVpdOfAMellanoxFunctionFails() throws Exception {
        tree().device("0000:c0:00.0", "0x15b3", "0x1021", "0x020700");
        // A directory where the file should be: unreadable even for root, which these tests may run as.
        Files.createDirectories(tree().function("0000:c0:00.0").resolve("vpd"));
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:c0:00.0/vpd: cannot read the VPD of a Mellanox function");
    }

    @Test
    void anUnreadableVendorFails() throws Exception {
        Files.createDirectories(tree().function("0000:41:00.0").resolve("vendor"));
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:41:00.0/vendor: cannot read");
    }

    @Test
    void aGarbageClassOfASwMngNicFails() {
        tree().swMngNics(1).write("0000:c0:00.0", "class", "nic\n");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("0000:c0:00.0/class: expected a hex number");
    }

    @Test
    void functionsAreFollowedThroughSymlinksAndStrayFilesAreSkipped() throws Exception {
        Path real = root.resolve("sys/devices/pci0000:00/0000:41:00.0");
        Files.createDirectories(real);
        Files.writeString(real.resolve("vendor"), "0x10de\n");
        Files.writeString(real.resolve("device"), "0x2330\n");
        Files.writeString(real.resolve("class"), "0x030200\n");
        Path devices = root.resolve("sys/bus/pci/devices");
        Files.createDirectories(devices);
        Files.createSymbolicLink(devices.resolve("0000:41:00.0"), devices.relativize(real));
        Files.createSymbolicLink(devices.resolve("0000:42:00.0"), devices.resolve("gone"));
        Files.writeString(devices.resolve("README"), "not a device");
        assertThat(read().gpus()).containsExactly(new PciFunction("0000:41:00.0", 0x10de, 0x2330, 0x030200));
    }

    @Test
    void aDevicesPathThatIsNotADirectoryFails() throws Exception {
        Files.createDirectories(root.resolve("sys/bus/pci"));
        Files.writeString(root.resolve("sys/bus/pci/devices"), "");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessage(root.resolve("sys/bus/pci/devices") + " is not a directory, so the PCI functions cannot be read");
    }

    @Test
    void aDevicesSymlinkLoopStopsInsteadOfMeaningNoBus() throws Exception {
        Path pci = Files.createDirectories(root.resolve("sys/bus/pci"));
        Files.createSymbolicLink(pci.resolve("devices"), pci.resolve("loop"));
        Files.createSymbolicLink(pci.resolve("loop"), pci.resolve("devices"));
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("cannot read " + pci.resolve("devices") + ": ")
                .hasMessageContaining("symbolic links")
                .hasMessageNotContaining("Exception");
    }

    @Test
    void aDanglingDevicesLinkStops() throws Exception {
        Path pci = Files.createDirectories(root.resolve("sys/bus/pci"));
        Files.createSymbolicLink(pci.resolve("devices"), pci.resolve("gone"));
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessageContaining("is a dangling symbolic link");
    }

    @Test
    void anUnreadableDevicesDirectorySaysPermissionDenied() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "root lists any directory");
        tree().gpus(1);
        Path devices = root.resolve("sys/bus/pci/devices");
        Files.setPosixFilePermissions(devices, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        try {
            assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                    .hasMessage("cannot list " + devices + ": permission denied");
        } finally {
            Files.setPosixFilePermissions(devices, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFifoWhereAnAttributeBelongsFailsAtOnce() throws Exception {
        tree().gpus(1);
        Path cls = root.resolve("sys/bus/pci/devices/0000:10:00.0/class");
        Files.delete(cls);
        Process p = new ProcessBuilder("mkfifo", cls.toString()).inheritIO().start();
        org.junit.jupiter.api.Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessage(cls + ": cannot read: a FIFO, not a regular file");
    }

    @Test
    void aHugeAttributeIsRefusedNotReadIntoMemory() throws Exception {
        tree().gpus(1);
        Path vendor = root.resolve("sys/bus/pci/devices/0000:10:00.0/vendor");
        Files.write(vendor, new byte[2 * 1024 * 1024]);
        assertThatThrownBy(this::read).isInstanceOf(BootFailure.class)
                .hasMessage(vendor + ": cannot read: larger than 65536 bytes");
    }
}
