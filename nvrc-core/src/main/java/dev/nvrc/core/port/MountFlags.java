package dev.nvrc.core.port;

/** The mount(2) flag values nvrc uses (from linux/mount.h), so core can describe mounts as data. */
public final class MountFlags {
    public static final long MS_RDONLY = 0x1;
    public static final long MS_NOSUID = 0x2;
    public static final long MS_NODEV = 0x4;
    public static final long MS_NOEXEC = 0x8;
    public static final long MS_REMOUNT = 0x20;
    public static final long MS_BIND = 0x1000;
    public static final long MS_RELATIME = 0x200000;
    /** nosuid, noexec, nodev, relatime: the flags of /proc, /sys and /run. */
    public static final long COMMON = MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME;

    private MountFlags() {}
}
