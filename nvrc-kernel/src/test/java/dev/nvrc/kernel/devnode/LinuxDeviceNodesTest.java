package dev.nvrc.kernel.devnode;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

class LinuxDeviceNodesTest {
    @Test
    void makedevIsGlibcsEncoding() {
        assertThat(LinuxDeviceNodes.makedev(510, 1)).isEqualTo(0x1fe01L);
        assertThat(LinuxDeviceNodes.makedev(195, 255)).isEqualTo((195L << 8) | 255);
        assertThat(LinuxDeviceNodes.makedev(0x1000, 0)).as("majors above 4095 go to the high bits")
                .isEqualTo(0x1000L << 32);
        assertThat(LinuxDeviceNodes.makedev(1, 0x100)).as("minors above 255 go to bits 20 and up")
                .isEqualTo((1L << 8) | (0x100L << 12));
    }

    @Test
    void permissionsAreExactlyTheModeBits() {
        assertThat(PosixFilePermissions.toString(LinuxDeviceNodes.permissions(0666))).isEqualTo("rw-rw-rw-");
        assertThat(PosixFilePermissions.toString(LinuxDeviceNodes.permissions(0640))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(LinuxDeviceNodes.permissions(0755))).isEqualTo("rwxr-xr-x");
    }
}
