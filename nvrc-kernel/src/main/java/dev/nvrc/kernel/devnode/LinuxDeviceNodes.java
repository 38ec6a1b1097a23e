package dev.nvrc.kernel.devnode;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.port.DeviceNodes;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.log.KernelLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * {@link DeviceNodes} with mknod(2). Paths are guest paths resolved under {@link NvrcPaths}, so
 * the PID-1 sandbox makes its nodes below a scratch directory.
 */
public final class LinuxDeviceNodes implements DeviceNodes {
    /** {@code S_IFCHR}. */
    static final int S_IFCHR = 0020000;

    private final NvrcPaths paths;
    private final Pid1Guard guard;

    /** Nodes below {@code paths}, refusing unless {@code guard} says this is PID 1. */
    public LinuxDeviceNodes(NvrcPaths paths, Pid1Guard guard) {
        this.paths = paths;
        this.guard = guard;
    }

    @Override
    public void createCharacterDevice(String path, int major, int minor, int mode) throws BootFailure {
        Path node = paths.resolve(path);
        String what = String.format("mknod %s c %d %d (mode %04o)", node, major, minor, mode);
        guard.require(what);
        // mknod(2) never replaces: EEXIST for any file there, a dangling link included.
        CheckedLibC.mknod(what, node.toString(), S_IFCHR | (mode & 07777), makedev(major, minor));
        try {
            // mknod applied the umask; the node's mode is the driver's convention, not the umask's.
            Files.setPosixFilePermissions(node, permissions(mode));
        } catch (IOException | UnsupportedOperationException e) {
            throw new BootFailure(what + ": cannot set its mode: " + (e instanceof IOException io ? IoReason.of(io)
                    : e.getMessage()), e);
        }
        KernelLog.log(LogLevel.DEBUG, what);
    }

    /** glibc's {@code makedev}: the 64-bit {@code dev_t} of Linux. */
    static long makedev(int major, int minor) {
        long ma = Integer.toUnsignedLong(major);
        long mi = Integer.toUnsignedLong(minor);
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                set.add(order[bit]);
            }
        }
        return set;
    }
}
