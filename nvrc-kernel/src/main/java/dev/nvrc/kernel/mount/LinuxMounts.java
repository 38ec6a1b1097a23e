package dev.nvrc.kernel.mount;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.MountFlags;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.Mounts;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.libc.CheckedLibC;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@link Mounts} with mount(2).
 *
 * <p>Targets are guest paths resolved under {@link NvrcPaths}, so the sandbox can mount the whole
 * boot list below a scratch directory. The mount table and the filesystem list are read from the
 * same root's /proc, i.e. from the proc that the boot itself mounted.
 */
public final class LinuxMounts implements Mounts {
    private final NvrcPaths paths;
    private final Pid1Guard guard;

    /** Mounts below {@code paths}, refusing unless {@code guard} says this is PID 1. */
    public LinuxMounts(NvrcPaths paths, Pid1Guard guard) {
        this.paths = paths;
        this.guard = guard;
    }

    @Override
    public boolean mount(MountRequest request) throws BootFailure {
        Path target = paths.resolve(request.target());
        String what = "mount " + request.source() + " on " + target;
        guard.require(what);
        String mountPoint = canonical(target);
        MountDecision decision = MountDecision.decide(request, mountPoint, Files.exists(target), table(), filesystems());
        if (!decision.mounts()) {
            KernelLog.log(LogLevel.DEBUG, what + ": skipped, "
                    + decision.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' '));
            return false;
        }
        try {
            CheckedLibC.mount(what + " (" + request.fsType() + ")", request.source(), mountPoint,
                    request.fsType(), request.flags(), request.data());
        } catch (BootFailure e) {
            if (!request.optional()) {
                throw e;
            }
            // Optional filesystems (securityfs, configfs) are a convenience for the workload, not a
            // reason to stop the boot; they also cannot be mounted in a user namespace.
            KernelLog.log(LogLevel.WARN, e.getMessage() + "; continuing without it");
            return false;
        }
        KernelLog.log(LogLevel.DEBUG, "mounted " + request.source() + " on " + mountPoint + " (" + request.fsType()
                + ", flags 0x" + Long.toHexString(request.flags()) + (request.data() == null ? "" : ", " + request.data())
                + ")");
        return true;
    }

    /**
     * Remounts the filesystem at {@code target} read-only. The mount keeps its nosuid, nodev,
     * noexec and atime options (a remount without them would clear them) and, as upstream did for
     * {@code /}, gains nosuid and nodev.
     */
    @Override
    public void remountReadOnly(String target) throws BootFailure {
        Path path = paths.resolve(target);
        String what = "remount " + path + " read-only";
        guard.require(what);
        String mountPoint = canonical(path);
        MountEntry entry = table().find(mountPoint)
                .orElseThrow(() -> new BootFailure(what + ": nothing is mounted there"));
        long flags = entry.preservedFlags() | MountFlags.MS_NOSUID | MountFlags.MS_NODEV
                | MountFlags.MS_RDONLY | MountFlags.MS_REMOUNT;
        CheckedLibC.mount(what, null, mountPoint, null, flags, null);
        KernelLog.log(LogLevel.DEBUG, "remounted " + mountPoint + " read-only (flags 0x" + Long.toHexString(flags) + ")");
    }

    @Override
    public Set<String> filesystems() {
        return ProcFilesystems.read(paths.resolve("/proc/filesystems"));
    }

    /** The current mount table of this process (read-only, no guard). */
    public MountTable table() throws BootFailure {
        return MountTable.read(paths.resolve("/proc/self/mountinfo"));
    }

    /** The path as mountinfo shows it: symlinks resolved when the path exists. */
    private static String canonical(Path path) {
        try {
            return Files.exists(path) ? path.toRealPath().toString() : path.toAbsolutePath().normalize().toString();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize().toString();
        }
    }
}
