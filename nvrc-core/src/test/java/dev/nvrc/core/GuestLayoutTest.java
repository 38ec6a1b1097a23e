package dev.nvrc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestLayoutTest {
    @TempDir
    Path root;

    @Test
    void baseImageKeepsEveryPath() {
        GuestLayout base = GuestLayout.baseImage();

        assertThat(base.path("/bin/nv-fabricmanager")).isEqualTo("/bin/nv-fabricmanager");
        assertThat(base.path("/sbin/nvlsm")).isEqualTo("/sbin/nvlsm");
        assertThat(base.path("/usr/share/nvidia/nvswitch/fabricmanager.cfg")).isEqualTo("/usr/share/nvidia/nvswitch/fabricmanager.cfg");
        assertThat(base.path("/usr/share/nvidia/nvlsm/nvlsm.conf")).isEqualTo("/usr/share/nvidia/nvlsm/nvlsm.conf");
        assertThat(base.modprobeDirname("nvidia")).isEmpty();
        assertThat(base.extensionRoot()).isEmpty();
        assertThat(base.driverRoot()).isEqualTo("/");
        assertThat(base.isGpuExtension()).isFalse();
        assertThat(base).hasToString("base image");
    }

    @Test
    void gpuExtensionPrefixesNvidiaComponentsOnly() {
        GuestLayout ext = GuestLayout.gpuExtension();

        assertThat(ext.path("/bin/nv-fabricmanager")).isEqualTo("/run/kata-extensions/gpu/bin/nv-fabricmanager");
        assertThat(ext.path("/sbin/nvlsm")).isEqualTo("/run/kata-extensions/gpu/sbin/nvlsm");
        assertThat(ext.path("/usr/share/nvidia/nvlsm/nvlsm.conf")).isEqualTo("/run/kata-extensions/gpu/usr/share/nvidia/nvlsm/nvlsm.conf");
        assertThat(ext.modprobeDirname("nvidia")).contains("/run/kata-extensions/gpu");
        assertThat(ext.modprobeDirname("nvidia-uvm")).contains("/run/kata-extensions/gpu");
        assertThat(ext.modprobeDirname("ib_umad")).isEmpty();
        assertThat(ext.modprobeDirname("mlx5_ib")).isEmpty();
        assertThat(ext).hasToString("gpu extension at /run/kata-extensions/gpu");
        assertThat(ext.driverRoot()).isEqualTo("/run/kata-extensions/gpu");
        assertThat(ext.isGpuExtension()).isTrue();
    }

    @Test
    void detectsTheExtensionByItsDirectory() throws Exception {
        NvrcPaths paths = NvrcPaths.under(root);
        assertThat(GuestLayout.detect(paths)).isEqualTo(GuestLayout.baseImage());

        Files.createDirectories(root.resolve("run/kata-extensions"));
        Files.writeString(root.resolve("run/kata-extensions/gpu"), "a file is not a mounted extension");
        assertThat(GuestLayout.detect(paths)).isEqualTo(GuestLayout.baseImage());
    }

    @Test
    void detectsAMountedExtension() throws Exception {
        Files.createDirectories(root.resolve("run/kata-extensions/gpu"));

        assertThat(GuestLayout.detect(NvrcPaths.under(root))).isEqualTo(GuestLayout.gpuExtension())
                .hasSameHashCodeAs(GuestLayout.gpuExtension()).isNotEqualTo(GuestLayout.baseImage());
    }

    @Test
    void refusesRelativePaths() {
        assertThatThrownBy(() -> GuestLayout.gpuExtension().path("bin/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
