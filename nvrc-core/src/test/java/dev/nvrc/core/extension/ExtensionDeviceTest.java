package dev.nvrc.core.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtensionDeviceTest {
    @TempDir
    Path root;

    @Test
    void devicesAreFoundByTheirSerialAndSortedByDevice() throws Exception {
        new ExtensionFixture(root).device("vda", "rootfs").device("vdc", "extension-coco").device("vdb", "extension-gpu")
                .device("sda", null).device("nvme0n1", "S3EVNX0K123456");
        assertThat(ExtensionDevice.discover(NvrcPaths.under(root))).containsExactly(
                new ExtensionDevice("gpu", "vdb"), new ExtensionDevice("coco", "vdc"));
    }

    @Test
    void noSysBlockOrNoExtensionIsNoDevice() throws Exception {
        assertThat(ExtensionDevice.discover(NvrcPaths.under(root))).isEmpty();
        new ExtensionFixture(root).device("vda", "rootfs");
        assertThat(ExtensionDevice.discover(NvrcPaths.under(root))).isEmpty();
    }

    @Test
    void safeCharactersAreAllowed() throws Exception {
        new ExtensionFixture(root).device("vdb", "extension-gpu.v2_0-rc1");
        assertThat(ExtensionDevice.discover(NvrcPaths.under(root))).containsExactly(
                new ExtensionDevice("gpu.v2_0-rc1", "vdb"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"extension-", "extension-..", "extension-.", "extension-../evil", "extension-a/b",
        "extension-gpu x", "extension-gp\u00fc"})
    void anInvalidNameStopsTheBoot(String serial) throws Exception {
        new ExtensionFixture(root).device("vdb", serial);
        assertThatThrownBy(() -> ExtensionDevice.discover(NvrcPaths.under(root))).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("invalid extension name")
                .hasMessageContaining("block device vdb");
    }

    @Test
    void twoDevicesForOneExtensionStopTheBoot() throws Exception {
        new ExtensionFixture(root).device("vdb", "extension-gpu").device("vdc", "extension-gpu");
        assertThatThrownBy(() -> ExtensionDevice.discover(NvrcPaths.under(root))).isInstanceOf(BootFailure.class)
                .hasMessage("extension gpu: two block devices have the serial extension-gpu: vdb and vdc");
    }

    @Test
    void anOversizedSerialIsNoSerial() throws Exception {
        new ExtensionFixture(root).device("vdb", null);
        Files.writeString(root.resolve("sys/block/vdb/serial"), "extension-gpu" + "x".repeat(400));
        assertThat(ExtensionDevice.discover(NvrcPaths.under(root))).isEmpty();
    }
}
