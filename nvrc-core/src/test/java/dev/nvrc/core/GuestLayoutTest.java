package dev.nvrc.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestLayoutTest {
    @Test
    void aBaseImageKeepsEveryPath() {
        GuestLayout layout = GuestLayout.baseImage();
        assertThat(layout.isGpuExtension()).isFalse();
        assertThat(layout.path("/bin/nvidia-smi")).isEqualTo("/bin/nvidia-smi");
        assertThat(layout.driverRoot()).isEqualTo("/");
        assertThat(layout.modprobeDirname("nvidia")).isEmpty();
        assertThat(layout.libraryDir()).isEmpty();
        assertThat(layout.cdiHookPath()).isEmpty();
        assertThat(layout.attesterVariant()).isEmpty();
        assertThat(layout).hasToString("base image");
    }

    @Test
    void theGpuExtensionMovesNvidiaPathsOnly() {
        GuestLayout layout = GuestLayout.withExtensions(List.of("coco", "gpu"));
        assertThat(layout.isGpuExtension()).isTrue();
        assertThat(layout.extensions()).containsExactly("coco", "gpu");
        assertThat(layout.path("/bin/nvidia-smi")).isEqualTo("/run/kata-extensions/gpu/bin/nvidia-smi");
        assertThat(layout.path("/usr/share/nvidia/nvlsm/nvlsm.conf"))
                .isEqualTo("/run/kata-extensions/gpu/usr/share/nvidia/nvlsm/nvlsm.conf");
        assertThat(layout.driverRoot()).isEqualTo("/run/kata-extensions/gpu");
        assertThat(layout.modprobeDirname("nvidia-uvm")).contains("/run/kata-extensions/gpu");
        assertThat(layout.modprobeDirname("ib_umad")).isEmpty();
        assertThat(layout.modprobeDirname("mlx5_ib")).isEmpty();
        assertThat(layout.libraryDir()).contains("/run/kata-extensions/gpu/usr/lib/" + Arch.current().triplet());
        assertThat(layout.cdiHookPath()).contains("/run/kata-extensions/gpu/bin/nvidia-cdi-hook");
        assertThat(layout.attesterVariant()).contains("nvidia");
        assertThat(layout).isEqualTo(GuestLayout.withExtensions(Set.of("gpu", "coco")));
    }

    @Test
    void anotherExtensionAloneLeavesTheNvidiaPathsInTheBaseImage() {
        GuestLayout layout = GuestLayout.withExtensions(List.of("coco"));
        assertThat(layout.isGpuExtension()).isFalse();
        assertThat(layout.path("/bin/nvidia-smi")).isEqualTo("/bin/nvidia-smi");
        assertThat(layout.attesterVariant()).isEmpty();
        assertThat(layout).isNotEqualTo(GuestLayout.baseImage());
    }

    @Test
    void pathsMustBeAbsolute() {
        assertThatThrownBy(() -> GuestLayout.gpuExtension().path("bin/nvidia-smi"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void detectLooksForAMountedExtensionInAFinishedTree(@TempDir Path root) throws Exception {
        NvrcPaths paths = NvrcPaths.under(root);
        assertThat(GuestLayout.detect(paths)).isEqualTo(GuestLayout.baseImage());
        Files.createDirectories(paths.resolve(GuestLayout.GPU_EXTENSION));
        assertThat(GuestLayout.detect(paths)).isEqualTo(GuestLayout.gpuExtension());
    }
}
