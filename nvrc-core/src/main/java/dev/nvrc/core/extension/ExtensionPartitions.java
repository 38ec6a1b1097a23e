package dev.nvrc.core.extension;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The two partitions of an extension device: partition 1 holds the EROFS data, partition 2 the
 * dm-verity hash tree. Found through each partition's sysfs {@code partition} file (its number),
 * so the kernel's naming ({@code vdb1}, {@code nvme0n1p1}) does not matter.
 *
 * @param data the data partition's device node ({@code /dev/vdb1})
 * @param hash the hash partition's device node ({@code /dev/vdb2})
 */
public record ExtensionPartitions(String data, String hash) {
    public ExtensionPartitions {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(hash, "hash");
    }

    /** The partitions of {@code device}, read from {@code /sys/block/<device>/<partition>/partition}. */
    public static ExtensionPartitions find(NvrcPaths paths, ExtensionDevice device) throws BootFailure {
        Path dir = paths.resolve(ExtensionDevice.SYS_BLOCK + "/" + device.device());
        String data = null;
        String hash = null;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                Path fileName = entry.getFileName();
                String number = number(entry.resolve("partition"));
                if (fileName == null) {
                    continue;
                }
                String node = "/dev/" + fileName;
                if ("1".equals(number)) {
                    data = node;
                } else if ("2".equals(number)) {
                    hash = node;
                }
            }
        } catch (IOException e) {
            throw new BootFailure("extension " + device.name() + ": cannot list the partitions of block device "
                    + device.device() + ": " + e.getMessage(), e);
        }
        if (data == null || hash == null) {
            throw new BootFailure("extension " + device.name() + ": block device " + device.device() + " has no "
                    + (data == null ? "data partition (1)" : "hash partition (2)")
                    + "; an extension is an EROFS data partition 1 and a dm-verity hash partition 2");
        }
        return new ExtensionPartitions(data, hash);
    }

    private static String number(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new String(in.readNBytes(32), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return null;
        }
    }
}
