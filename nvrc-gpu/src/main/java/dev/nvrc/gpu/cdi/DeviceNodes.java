package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Finds device nodes under the dev root, checks that each is a character device itself and reads
 * what the spec says about it: major, minor, permission bits and group ({@link DeviceNode}).
 *
 * <p>Runtimes {@code lstat} a node's host path and refuse anything but a device ("not a device
 * node"), so a symbolic link or a plain file at {@code /dev/nvidia0} is reported here, at boot,
 * rather than when the first container starts. Type, numbers and group come from one
 * {@code lstat} ({@code unix:mode,rdev,gid} without following links).
 */
final class DeviceNodes {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;

    private final NvrcPaths paths;
    private final String devRoot;

    DeviceNodes(NvrcPaths paths, String devRoot) {
        this.paths = paths;
        this.devRoot = devRoot;
    }

    /** The node at {@code path} (a container path such as {@code /dev/nvidia0}); it must exist. */
    DeviceNode required(String path, String owner) throws BootFailure {
        return find(path).orElseThrow(() -> new BootFailure(
                "device node " + hostPath(path) + " of " + owner + " does not exist"));
    }

    /** The node at {@code path} if it exists. */
    Optional<DeviceNode> find(String path) throws BootFailure {
        String host = hostPath(path);
        Optional<Map<String, Object>> stat = stat(paths.resolve(host), host);
        if (stat.isEmpty()) {
            return Optional.empty();
        }
        int mode = (Integer) stat.get().get("mode");
        int type = mode & S_IFMT;
        if (type != S_IFCHR) {
            throw new BootFailure(host + " is " + describe(type)
                    + ", expected a character device node (container runtimes refuse anything else)");
        }
        long rdev = (Long) stat.get().get("rdev");
        long gid = Integer.toUnsignedLong((Integer) stat.get().get("gid"));
        return Optional.of(new DeviceNode(path, host, major(rdev), minor(rdev), mode & ~S_IFMT, DeviceNode.RWM, gid));
    }

    /** The major number of a Linux {@code dev_t} (glibc's {@code gnu_dev_major}). */
    static long major(long rdev) {
        return ((rdev >>> 8) & 0xfffL) | ((rdev >>> 32) & 0xfffff000L);
    }

    /** The minor number of a Linux {@code dev_t} (glibc's {@code gnu_dev_minor}). */
    static long minor(long rdev) {
        return (rdev & 0xffL) | ((rdev >>> 12) & 0xffffff00L);
    }

    private String hostPath(String path) {
        return GuestPathStrings.join(devRoot, path);
    }

    private static Optional<Map<String, Object>> stat(Path file, String guest) throws BootFailure {
        try {
            return Optional.of(Files.readAttributes(file, "unix:mode,rdev,gid", LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BootFailure("cannot read the file type of " + guest + ": " + IoReason.of(e), e);
        } catch (UnsupportedOperationException e) {
            throw new BootFailure("cannot read the file type of " + guest + ": no unix file attributes here", e);
        }
    }

    private static String describe(int type) {
        switch (type) {
            case S_IFLNK:
                return "a symbolic link";
            case S_IFREG:
                return "a regular file";
            case S_IFDIR:
                return "a directory";
            default:
                return "not a character device (file type 0" + Integer.toOctalString(type) + ")";
        }
    }
}
