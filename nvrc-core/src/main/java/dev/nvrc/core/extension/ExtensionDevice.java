package dev.nvrc.core.extension;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.ExtensionName;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A block device that carries a guest extension: {@code /sys/block/<device>/serial} reads
 * {@code extension-<name>}. Discovery is by serial, so it needs no udev and does not depend on the
 * order the devices were plugged in.
 *
 * @param name the extension's name (after {@value #SERIAL_PREFIX})
 * @param device the block device's name under {@code /sys/block} and {@code /dev} ({@code vdb})
 */
public record ExtensionDevice(String name, String device) {
    /** What a serial starts with when the device is an extension; also the device-mapper prefix. */
    public static final String SERIAL_PREFIX = "extension-";
    /** Where the block devices are. */
    public static final String SYS_BLOCK = "/sys/block";
    /** A serial is short (virtio-blk: 20 bytes); more than this is not a serial. */
    static final int SERIAL_MAX = 256;

    public ExtensionDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
    }

    /**
     * Every extension device under {@code paths}, sorted by device name. A device whose serial
     * names an invalid extension, or two devices that name the same one, stop the boot: the name
     * becomes a mount point and a device-mapper name, and two candidates for one measured
     * extension are one too many.
     */
    public static List<ExtensionDevice> discover(NvrcPaths paths) throws BootFailure {
        Path sysBlock = paths.resolve(SYS_BLOCK);
        if (!Files.isDirectory(sysBlock)) {
            return List.of();
        }
        List<ExtensionDevice> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(sysBlock)) {
            for (Path entry : entries) {
                Path fileName = entry.getFileName();
                String serial = serial(entry.resolve("serial"));
                if (fileName == null || serial == null || !serial.startsWith(SERIAL_PREFIX)) {
                    continue;
                }
                String device = fileName.toString();
                String name = serial.substring(SERIAL_PREFIX.length());
                if (!ExtensionName.isValid(name)) {
                    throw new BootFailure("invalid extension name \"" + name + "\" in the serial of block device "
                            + device + " (" + SYS_BLOCK + "/" + device + "/serial): " + ExtensionName.RULE);
                }
                if (!ExtensionName.isValid(device)) {
                    throw new BootFailure("extension " + name + ": unexpected block device name \"" + device + "\"");
                }
                found.add(new ExtensionDevice(name, device));
            }
        } catch (IOException e) {
            throw new BootFailure("cannot list " + SYS_BLOCK + ": " + e.getMessage(), e);
        }
        found.sort(Comparator.comparing(ExtensionDevice::device));
        for (int i = 0; i < found.size(); i++) {
            for (int j = i + 1; j < found.size(); j++) {
                if (found.get(i).name().equals(found.get(j).name())) {
                    throw new BootFailure("extension " + found.get(i).name() + ": two block devices have the serial "
                            + SERIAL_PREFIX + found.get(i).name() + ": " + found.get(i).device() + " and "
                            + found.get(j).device());
                }
            }
        }
        return List.copyOf(found);
    }

    /** The device's serial without surrounding white space, or null when it has none. */
    private static String serial(Path file) throws BootFailure {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(SERIAL_MAX + 1);
            if (bytes.length > SERIAL_MAX) {
                return null;
            }
            return new String(bytes, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            // Some block devices (loop, ram) have a serial attribute that cannot be read.
            return null;
        }
    }
}
