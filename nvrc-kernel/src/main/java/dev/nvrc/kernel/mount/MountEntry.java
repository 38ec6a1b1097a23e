package dev.nvrc.kernel.mount;

import dev.nvrc.core.port.MountFlags;
import java.util.List;
import java.util.Objects;

/**
 * One line of /proc/self/mountinfo, with the octal escapes ({@code \040} for a space) decoded.
 *
 * @param mountPoint the absolute mount point
 * @param options the per-mount options ({@code rw,nosuid,nodev,noexec,relatime})
 * @param fsType the filesystem type
 * @param source the mount source ({@code proc}, {@code /dev/vda1})
 * @param superOptions the per-superblock options ({@code rw,mode=755})
 */
public record MountEntry(String mountPoint, List<String> options, String fsType, String source, List<String> superOptions) {
    /** Atime and access flags not in core's {@link MountFlags}. */
    private static final long MS_NOATIME = 0x400;
    private static final long MS_NODIRATIME = 0x800;
    private static final long MS_STRICTATIME = 0x1000000;

    public MountEntry {
        Objects.requireNonNull(mountPoint, "mountPoint");
        options = List.copyOf(options);
        Objects.requireNonNull(fsType, "fsType");
        Objects.requireNonNull(source, "source");
        superOptions = List.copyOf(superOptions);
    }

    /** True when the mount is read-only. */
    public boolean readOnly() {
        return options.contains("ro");
    }

    /**
     * The MS_* flags that keep this mount's access and atime options on a remount (nosuid, nodev,
     * noexec, noatime, nodiratime, relatime, strictatime); a remount without them would drop them.
     */
    public long preservedFlags() {
        long flags = 0;
        for (String o : options) {
            switch (o) {
                case "nosuid" -> flags |= MountFlags.MS_NOSUID;
                case "nodev" -> flags |= MountFlags.MS_NODEV;
                case "noexec" -> flags |= MountFlags.MS_NOEXEC;
                case "noatime" -> flags |= MS_NOATIME;
                case "nodiratime" -> flags |= MS_NODIRATIME;
                case "relatime" -> flags |= MountFlags.MS_RELATIME;
                case "strictatime" -> flags |= MS_STRICTATIME;
                default -> { }
            }
        }
        return flags;
    }
}
