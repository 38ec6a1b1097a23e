package dev.nvrc.core.extension;

import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.api.VerityParameters;
import dev.nvrc.core.port.MountFlags;
import java.util.List;
import java.util.Objects;

/**
 * One extension that will be opened and mounted: its device, partitions and dm-verity parameters.
 *
 * @param name the extension's name
 * @param device the block device ({@code vdb})
 * @param partitions its data and hash partitions
 * @param verity {@code kata.extension.<name>.verity_params}
 */
public record GuestExtension(String name, String device, ExtensionPartitions partitions, VerityParameters verity) {
    /** The program that opens the device (cryptsetup's). */
    public static final String VERITYSETUP = "/usr/sbin/veritysetup";
    /** The one hash the Kata image builder uses. */
    public static final String HASH = "sha256";
    /** The extension's filesystem. */
    public static final String FILESYSTEM = "erofs";
    /**
     * Read-only, nosuid, nodev; not noexec, because extensions ship programs (the NVIDIA tools,
     * the attestation agent).
     */
    public static final long MOUNT_FLAGS = MountFlags.MS_RDONLY | MountFlags.MS_NOSUID | MountFlags.MS_NODEV;

    public GuestExtension {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(partitions, "partitions");
        Objects.requireNonNull(verity, "verity");
    }

    /** The device-mapper target: {@code extension-<name>}. */
    public String mapperName() {
        return ExtensionDevice.SERIAL_PREFIX + name;
    }

    /** The verified device: {@code /dev/mapper/extension-<name>}. */
    public String mapperDevice() {
        return "/dev/mapper/" + mapperName();
    }

    /** Where it is mounted: {@code /run/kata-extensions/<name>}. */
    public String mountPoint() {
        return GuestLayout.EXTENSIONS + "/" + name;
    }

    /**
     * {@code veritysetup open}, every parameter given explicitly because the Kata image builder
     * formats the hash partition without a superblock.
     */
    public List<String> verityOpenArgv() {
        return List.of(VERITYSETUP, "open", "--no-superblock", "--hash", HASH,
                "--data-block-size", Long.toString(verity.dataBlockSize()),
                "--hash-block-size", Long.toString(verity.hashBlockSize()),
                "--data-blocks", Long.toString(verity.dataBlocks()),
                "--salt", verity.salt(),
                partitions.data(), mapperName(), partitions.hash(), verity.rootHash());
    }
}
