package dev.nvrc.core.system;

import static dev.nvrc.core.port.MountFlags.COMMON;
import static dev.nvrc.core.port.MountFlags.MS_NODEV;
import static dev.nvrc.core.port.MountFlags.MS_NOEXEC;
import static dev.nvrc.core.port.MountFlags.MS_NOSUID;
import static dev.nvrc.core.port.MountFlags.MS_RELATIME;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.Mounts;
import java.util.List;

/**
 * The filesystems every boot mounts, in order (behaviour.md §3): /proc first (the mount table is
 * read from it), then /dev (the kernel does not mount devtmpfs for an initramfs), /sys, /run,
 * /tmp, and the optional securityfs and configfs.
 */
public final class BootMounts {
    /** proc on /proc: nosuid, noexec, nodev, relatime. */
    public static final MountRequest PROC = new MountRequest("proc", "/proc", "proc", COMMON, null, false);
    /** devtmpfs on /dev: nosuid, noexec, relatime (device nodes need dev), mode 0755. */
    public static final MountRequest DEV =
            new MountRequest("dev", "/dev", "devtmpfs", MS_NOSUID | MS_NOEXEC | MS_RELATIME, "mode=0755", false);
    /** sysfs on /sys. */
    public static final MountRequest SYS = new MountRequest("sysfs", "/sys", "sysfs", COMMON, null, false);
    /** tmpfs on /run, mode 0755. */
    public static final MountRequest RUN = new MountRequest("run", "/run", "tmpfs", COMMON, "mode=0755", false);
    /** tmpfs on /tmp: nosuid, nodev, relatime (executables allowed). */
    public static final MountRequest TMP =
            new MountRequest("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV | MS_RELATIME, null, false);
    /** securityfs, when the kernel has it and /sys/kernel/security exists. */
    public static final MountRequest SECURITYFS =
            new MountRequest("securityfs", "/sys/kernel/security", "securityfs", COMMON, null, true);
    /** configfs, when the kernel has it and /sys/kernel/config exists. */
    public static final MountRequest CONFIGFS =
            new MountRequest("configfs", "/sys/kernel/config", "configfs", COMMON, null, true);

    /** The standard list, in mount order. */
    public static final List<MountRequest> STANDARD = List.of(PROC, DEV, SYS, RUN, TMP, SECURITYFS, CONFIGFS);

    private BootMounts() {}

    /** Mounts {@link #STANDARD} in order (each skipped when already mounted); returns how many were mounted. */
    public static int mountAll(Mounts mounts) throws BootFailure {
        int mounted = 0;
        for (MountRequest r : STANDARD) {
            if (mounts.mount(r)) {
                mounted++;
            }
        }
        return mounted;
    }
}
