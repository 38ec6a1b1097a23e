package dev.nvrc.core.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.api.VerityParameters;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.port.RecordingPorts;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The extension steps against recording ports: dm-verity and the mount, the firmware bind, the loader cache. */
class ExtensionStepsRunTest {
    @TempDir
    Path root;

    final RecordingPorts ports = new RecordingPorts();

    BootContext context() {
        return ports.context(root);
    }

    static GuestExtension gpu() {
        return new GuestExtension("gpu", "vdb", new ExtensionPartitions("/dev/vdb1", "/dev/vdb2"),
                new VerityParameters("abc", "00ff", 10, 4096, 4096));
    }

    @Test
    void anExtensionIsOpenedWithDmVerityThenMountedReadOnly() throws Exception {
        ExtensionMountStep step = new ExtensionMountStep(gpu());
        step.run(context());
        assertThat(ports.events).hasSize(2);
        assertThat(ports.events.get(0)).startsWith("run veritysetup: " + GuestExtension.VERITYSETUP);
        assertThat(ports.events.get(1)).startsWith("mount " + gpu().mapperDevice() + " " + gpu().mountPoint() + " erofs");
        assertThat(root.resolve(gpu().mountPoint().substring(1))).isDirectory();
        assertThat(step.name()).isEqualTo("extension gpu");
        assertThat(step.describe().details()).containsEntry("data", "/dev/vdb1").containsEntry("hash", "/dev/vdb2")
                .containsEntry("timeout_s", 120L);
    }

    @Test
    void aRefusedHashOrAnUnmountableDeviceFailsTheStep() {
        ports.failing.add("run veritysetup");
        assertThatThrownBy(() -> new ExtensionMountStep(gpu()).run(context())).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("dm-verity refused /dev/vdb1 (veritysetup open): ");
        ports.failing.clear();
        ports.failing.add("mount ");
        assertThatThrownBy(() -> new ExtensionMountStep(gpu()).run(context())).isInstanceOf(BootFailure.class)
                .hasMessageContaining("the verified device cannot be mounted");
    }

    @Test
    void theFirmwareIsBoundOnlyWhenTheExtensionShipsIt() throws Exception {
        GuestLayout layout = GuestLayout.gpuExtension();
        GpuFirmwareStep step = new GpuFirmwareStep(layout);
        step.run(context());
        assertThat(ports.events).isEmpty();
        Files.createDirectories(root.resolve(layout.path(GpuFirmwareStep.TARGET).substring(1)));
        step.run(context());
        assertThat(ports.events).singleElement().asString().endsWith(" " + GpuFirmwareStep.TARGET + " none 0x1000");
        assertThat(step.name()).isEqualTo("gpu extension firmware");
        assertThat(step.describe().details()).containsKeys("bind", "when");
    }

    @Test
    void theLoaderCacheIsWrittenToRunAndBoundOverTheSystemOne() throws Exception {
        Files.createDirectories(root.resolve("run"));
        GuestLayout layout = GuestLayout.gpuExtension();
        LoaderCacheStep step = new LoaderCacheStep(layout);
        step.run(context());
        assertThat(root.resolve("run/ld.so.conf")).content().startsWith("include /etc/ld.so.conf.d/*.conf\n")
                .contains(layout.libraryDir().orElseThrow());
        assertThat(ports.events).hasSize(2);
        assertThat(ports.events.get(0)).isEqualTo("run ldconfig: /sbin/ldconfig -X -f /run/ld.so.conf -C /run/ld.so.cache within 60 s");
        assertThat(ports.events.get(1)).endsWith(" /etc/ld.so.cache none 0x1000");
        assertThat(step.describe().details()).containsEntry("writes", "/run/ld.so.conf");
        assertThatThrownBy(() -> new LoaderCacheStep(GuestLayout.baseImage())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anUnwritableRunFailsTheLoaderCache() {
        assertThatThrownBy(() -> new LoaderCacheStep(GuestLayout.gpuExtension()).run(context()))
                .isInstanceOf(BootFailure.class).hasMessageStartingWith("cannot write /run/ld.so.conf: ");
    }
}
