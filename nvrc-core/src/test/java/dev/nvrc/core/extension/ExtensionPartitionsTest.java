package dev.nvrc.core.extension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExtensionPartitionsTest {
    @TempDir
    Path root;

    @Test
    void partitionsAreFoundByTheirNumberNotTheirName() throws Exception {
        new ExtensionFixture(root).device("nvme0n1", "extension-gpu").partition("nvme0n1", "nvme0n1p2", 2)
                .partition("nvme0n1", "nvme0n1p1", 1);
        Files.writeString(root.resolve("sys/block/nvme0n1/size"), "100\n");
        Files.createDirectories(root.resolve("sys/block/nvme0n1/queue"));
        assertThat(ExtensionPartitions.find(NvrcPaths.under(root), new ExtensionDevice("gpu", "nvme0n1")))
                .isEqualTo(new ExtensionPartitions("/dev/nvme0n1p1", "/dev/nvme0n1p2"));
    }

    @Test
    void virtioNames() throws Exception {
        new ExtensionFixture(root).extension("vdb", "gpu");
        assertThat(ExtensionPartitions.find(NvrcPaths.under(root), new ExtensionDevice("gpu", "vdb")))
                .isEqualTo(new ExtensionPartitions("/dev/vdb1", "/dev/vdb2"));
    }

    @Test
    void aMissingHashPartitionStopsTheBoot() throws Exception {
        new ExtensionFixture(root).device("vdb", "extension-gpu").partition("vdb", "vdb1", 1);
        assertThatThrownBy(() -> ExtensionPartitions.find(NvrcPaths.under(root), new ExtensionDevice("gpu", "vdb")))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("extension gpu: block device vdb has no hash partition (2)");
    }

    @Test
    void aMissingDataPartitionStopsTheBoot() throws Exception {
        new ExtensionFixture(root).device("vdb", "extension-gpu").partition("vdb", "vdb2", 2);
        assertThatThrownBy(() -> ExtensionPartitions.find(NvrcPaths.under(root), new ExtensionDevice("gpu", "vdb")))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("extension gpu: block device vdb has no data partition (1)");
    }
}
