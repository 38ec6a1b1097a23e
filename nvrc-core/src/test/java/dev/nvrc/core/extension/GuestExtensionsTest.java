package dev.nvrc.core.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.api.VerityParameters;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestExtensionsTest {
    static final String PARAMS = "root_hash=abc123,salt=def456,data_blocks=96512,data_block_size=4096,"
            + "hash_block_size=4096";
    static final VerityParameters VERITY = new VerityParameters("abc123", "def456", 96512, 4096, 4096);

    @TempDir
    Path root;

    @Test
    void aDeviceWithParamsIsMountedWithUpstreamsVeritysetupArgv() throws Exception {
        new ExtensionFixture(root).extension("vdb", "gpu").device("vda", "rootfs");
        GuestExtensions extensions = GuestExtensions.decide(
                ConfigParser.parse("quiet kata.extension.gpu.verity_params=" + PARAMS), NvrcPaths.under(root));
        assertThat(extensions.extensions()).hasSize(1);
        GuestExtension gpu = extensions.extensions().get(0);
        assertThat(gpu).isEqualTo(new GuestExtension("gpu", "vdb", new ExtensionPartitions("/dev/vdb1", "/dev/vdb2"),
                VERITY));
        assertThat(gpu.verityOpenArgv()).containsExactly("/usr/sbin/veritysetup", "open", "--no-superblock", "--hash",
                "sha256", "--data-block-size", "4096", "--hash-block-size", "4096", "--data-blocks", "96512",
                "--salt", "def456", "/dev/vdb1", "extension-gpu", "/dev/vdb2", "abc123");
        assertThat(gpu.mapperDevice()).isEqualTo("/dev/mapper/extension-gpu");
        assertThat(gpu.mountPoint()).isEqualTo("/run/kata-extensions/gpu");
        assertThat(extensions.layout()).isEqualTo(GuestLayout.gpuExtension());
    }

    @Test
    void nothingIsNothing() throws Exception {
        new ExtensionFixture(root).device("vda", "rootfs");
        GuestExtensions extensions = GuestExtensions.decide(ConfigParser.parse("quiet"), NvrcPaths.under(root));
        assertThat(extensions.isEmpty()).isTrue();
        assertThat(extensions.layout()).isEqualTo(GuestLayout.baseImage());
    }

    @Test
    void aDeviceWithoutParamsIsRefused() throws Exception {
        new ExtensionFixture(root).extension("vdb", "gpu");
        assertThatThrownBy(() -> GuestExtensions.decide(ConfigParser.parse("quiet"), NvrcPaths.under(root)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("extension gpu: block device vdb (serial extension-gpu) has no"
                        + " kata.extension.gpu.verity_params on the command line; refusing an unverified mount");
    }

    @Test
    void paramsWithoutADeviceAreRefused() throws Exception {
        assertThatThrownBy(() -> GuestExtensions.decide(
                ConfigParser.parse("kata.extension.gpu.verity_params=" + PARAMS), NvrcPaths.under(root)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("extension gpu: kata.extension.gpu.verity_params is on the command line but no block"
                        + " device has the serial extension-gpu");
    }

    @Test
    void everyDeviceMustMatchNotJustOne() throws Exception {
        new ExtensionFixture(root).extension("vdb", "gpu").extension("vdc", "coco");
        assertThatThrownBy(() -> GuestExtensions.reconcile(Map.of("gpu", VERITY),
                ExtensionDevice.discover(NvrcPaths.under(root)), NvrcPaths.under(root)))
                .isInstanceOf(BootFailure.class).hasMessageStartingWith("extension coco: block device vdc");
        GuestExtensions both = GuestExtensions.reconcile(Map.of("gpu", VERITY, "coco", VERITY),
                ExtensionDevice.discover(NvrcPaths.under(root)), NvrcPaths.under(root));
        assertThat(both.extensions()).extracting(GuestExtension::name).containsExactly("coco", "gpu");
        assertThat(both.layout().extensions()).containsExactly("coco", "gpu");
    }

    @Test
    void partitionsAreCheckedWhenTheExtensionIsDecided() throws Exception {
        new ExtensionFixture(root).device("vdb", "extension-gpu");
        assertThatThrownBy(() -> GuestExtensions.reconcile(Map.of("gpu", VERITY),
                List.of(new ExtensionDevice("gpu", "vdb")), NvrcPaths.under(root)))
                .isInstanceOf(BootFailure.class).hasMessageStartingWith("extension gpu: block device vdb has no data");
    }
}
