package dev.nvrc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class NvrcPathsTest {
    @Test
    void resolvesGuestPathsUnderTheRoot() {
        NvrcPaths p = NvrcPaths.under(Path.of("/tmp/fixture/../fixture"));
        assertThat(p.root()).isEqualTo(Path.of("/tmp/fixture"));
        assertThat(p.resolve("/dev/nvidia0")).isEqualTo(Path.of("/tmp/fixture/dev/nvidia0"));
        assertThat(p.pciDevices()).isEqualTo(Path.of("/tmp/fixture/sys/bus/pci/devices"));
        assertThat(p.infiniband()).isEqualTo(Path.of("/tmp/fixture/sys/class/infiniband"));
        assertThat(p.nvidiaGpus()).isEqualTo(Path.of("/tmp/fixture/proc/driver/nvidia/gpus"));
        assertThat(p.proc()).isEqualTo(Path.of("/tmp/fixture/proc"));
        assertThat(p.sys()).isEqualTo(Path.of("/tmp/fixture/sys"));
        assertThat(p.dev()).isEqualTo(Path.of("/tmp/fixture/dev"));
        assertThat(p.run()).isEqualTo(Path.of("/tmp/fixture/run"));
        assertThat(p).hasToString("/tmp/fixture");
    }

    @Test
    void guestViewDropsTheRoot() {
        NvrcPaths p = NvrcPaths.under(Path.of("/tmp/fixture"));
        assertThat(p.guest(Path.of("/tmp/fixture/usr/lib/libcuda.so.1"))).isEqualTo("/usr/lib/libcuda.so.1");
        assertThat(NvrcPaths.system().guest(Path.of("/dev/nvidiactl"))).isEqualTo("/dev/nvidiactl");
        assertThat(NvrcPaths.system().resolve("/proc/cmdline")).isEqualTo(Path.of("/proc/cmdline"));
    }

    @Test
    void relativeGuestPathsAreRefused() {
        assertThatThrownBy(() -> NvrcPaths.system().resolve("dev/nvidia0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dev/nvidia0");
    }

    @Test
    void bootFailureKeepsMessageAndCause() {
        IllegalStateException cause = new IllegalStateException("x");
        BootFailure f = new BootFailure("mount proc on /proc: EPERM", cause);
        assertThat(f).hasMessage("mount proc on /proc: EPERM").hasCause(cause);
        assertThatThrownBy(() -> new BootFailure(null)).isInstanceOf(NullPointerException.class);
    }
}
