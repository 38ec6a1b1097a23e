package dev.nvrc.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricLayoutTest {
    @TempDir
    Path root;

    @Test
    void baseImageKeepsEveryPath() {
        FabricLayout base = FabricLayout.baseImage();

        assertThat(base.fabricManager()).isEqualTo("/bin/nv-fabricmanager");
        assertThat(base.nvlsm()).isEqualTo("/sbin/nvlsm");
        assertThat(base.shippedFabricManagerConfig()).isEqualTo("/usr/share/nvidia/nvswitch/fabricmanager.cfg");
        assertThat(base.nvlsmConfig()).isEqualTo("/usr/share/nvidia/nvlsm/nvlsm.conf");
        assertThat(base.modprobeDirname("nvidia")).isEmpty();
        assertThat(base.extensionRoot()).isEmpty();
        assertThat(base).hasToString("base image");
    }

    @Test
    void gpuExtensionPrefixesNvidiaComponentsOnly() {
        FabricLayout ext = FabricLayout.gpuExtension();

        assertThat(ext.fabricManager()).isEqualTo("/run/kata-extensions/gpu/bin/nv-fabricmanager");
        assertThat(ext.nvlsm()).isEqualTo("/run/kata-extensions/gpu/sbin/nvlsm");
        assertThat(ext.nvlsmConfig()).isEqualTo("/run/kata-extensions/gpu/usr/share/nvidia/nvlsm/nvlsm.conf");
        assertThat(ext.modprobeDirname("nvidia")).contains("/run/kata-extensions/gpu");
        assertThat(ext.modprobeDirname("nvidia-uvm")).contains("/run/kata-extensions/gpu");
        assertThat(ext.modprobeDirname("ib_umad")).isEmpty();
        assertThat(ext.modprobeDirname("mlx5_ib")).isEmpty();
        assertThat(ext).hasToString("gpu extension at /run/kata-extensions/gpu");
    }

    @Test
    void detectsTheExtensionByItsDirectory() {
        NvrcPaths paths = SysfsFixture.at(root).paths();
        assertThat(FabricLayout.detect(paths)).isEqualTo(FabricLayout.baseImage());

        SysfsFixture.at(root).text("run/kata-extensions/gpu", "a file is not a mounted extension");
        assertThat(FabricLayout.detect(paths)).isEqualTo(FabricLayout.baseImage());
    }

    @Test
    void detectsAMountedExtension() {
        SysfsFixture fixture = SysfsFixture.at(root).dir("run/kata-extensions/gpu");

        assertThat(FabricLayout.detect(fixture.paths())).isEqualTo(FabricLayout.gpuExtension())
                .hasSameHashCodeAs(FabricLayout.gpuExtension()).isNotEqualTo(FabricLayout.baseImage());
    }

    @Test
    void refusesRelativePaths() {
        assertThatThrownBy(() -> FabricLayout.gpuExtension().path("bin/x")).isInstanceOf(IllegalArgumentException.class);
    }
}
