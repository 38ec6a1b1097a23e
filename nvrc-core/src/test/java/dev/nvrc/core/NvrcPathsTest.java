package dev.nvrc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NvrcPathsTest {
    private final NvrcPaths fixture = NvrcPaths.under(Path.of("/tmp/fixture"));

    @Test
    void resolvesGuestPathsUnderTheRoot() {
        assertThat(fixture.resolve("/run/kata-extensions/gpu")).isEqualTo(Path.of("/tmp/fixture/run/kata-extensions/gpu"));
        assertThat(fixture.pciDevices()).isEqualTo(Path.of("/tmp/fixture/sys/bus/pci/devices"));
        assertThat(fixture.infiniband()).isEqualTo(Path.of("/tmp/fixture/sys/class/infiniband"));
        assertThat(fixture.nvidiaGpus()).isEqualTo(Path.of("/tmp/fixture/proc/driver/nvidia/gpus"));
        assertThat(fixture.proc()).isEqualTo(Path.of("/tmp/fixture/proc"));
        assertThat(fixture.sys()).isEqualTo(Path.of("/tmp/fixture/sys"));
        assertThat(fixture.dev()).isEqualTo(Path.of("/tmp/fixture/dev"));
        assertThat(fixture.run()).isEqualTo(Path.of("/tmp/fixture/run"));
        assertThat(NvrcPaths.system().resolve("/proc/cmdline")).isEqualTo(Path.of("/proc/cmdline"));
    }

    @Test
    void givesTheGuestViewOfAResolvedPath() {
        assertThat(fixture.guest(Path.of("/tmp/fixture/dev/nvidia0"))).isEqualTo("/dev/nvidia0");
        assertThat(fixture.guest(fixture.root())).isEqualTo("/");
        assertThat(fixture.toString()).isEqualTo("/tmp/fixture");
    }

    @Test
    void rejectsRelativeGuestPaths() {
        assertThatThrownBy(() -> fixture.resolve("sys/bus")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sys/bus");
    }
}
