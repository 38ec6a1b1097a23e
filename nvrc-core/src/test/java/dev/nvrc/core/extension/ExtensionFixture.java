package dev.nvrc.core.extension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A /sys/block tree with extension devices, for the tests of this package. */
final class ExtensionFixture {
    private final Path sysBlock;

    ExtensionFixture(Path root) {
        this.sysBlock = root.resolve("sys/block");
    }

    ExtensionFixture device(String device, String serial) throws IOException {
        Files.createDirectories(sysBlock.resolve(device));
        if (serial != null) {
            Files.writeString(sysBlock.resolve(device).resolve("serial"), serial + "\n");
        }
        return this;
    }

    ExtensionFixture partition(String device, String partition, int number) throws IOException {
        Path dir = sysBlock.resolve(device).resolve(partition);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("partition"), number + "\n");
        return this;
    }

    /** A device with partitions {@code <device>1} and {@code <device>2}. */
    ExtensionFixture extension(String device, String name) throws IOException {
        return device(device, "extension-" + name).partition(device, device + "1", 1).partition(device, device + "2", 2);
    }
}
