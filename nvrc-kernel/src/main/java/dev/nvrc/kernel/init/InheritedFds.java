package dev.nvrc.kernel.init;

import dev.nvrc.core.BootFailure;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The file descriptors this process hands to the program it execs (besides 0, 1 and 2).
 *
 * <p>The JDK opens its files without O_CLOEXEC, so before execve every other descriptor is marked
 * close-on-exec: kata-agent gets stdin/stdout/stderr and exactly the descriptors registered here
 * (the /dev/log socket for the syslog drainer), not the JVM's jars.
 */
public final class InheritedFds {
    private static final int F_GETFD = 1;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final Set<Integer> KEPT = new TreeSet<>();

    private InheritedFds() {}

    /** Clears FD_CLOEXEC on {@code fd} and keeps it open across the handoff execve. */
    public static void keep(int fd) throws BootFailure {
        CheckedLibC.fcntl("clear close-on-exec on fd " + fd, fd, F_SETFD, 0);
        synchronized (KEPT) {
            KEPT.add(fd);
        }
    }

    /** Forgets {@code fd} (its owner is about to close it; the number may be reused). */
    public static void release(int fd) {
        synchronized (KEPT) {
            KEPT.remove(fd);
        }
    }

    /** The descriptors registered with {@link #keep}. */
    public static Set<Integer> kept() {
        synchronized (KEPT) {
            return Set.copyOf(KEPT);
        }
    }

    /** True when {@code fd} is open and marked close-on-exec. */
    public static boolean isCloseOnExec(int fd) {
        int flags = Native.libc().fcntl(fd, F_GETFD, 0);
        return flags >= 0 && (flags & FD_CLOEXEC) != 0;
    }

    /** Sets FD_CLOEXEC on {@code fd}. */
    public static void closeOnExec(int fd) throws BootFailure {
        CheckedLibC.fcntl("set close-on-exec on fd " + fd, fd, F_SETFD, FD_CLOEXEC);
    }

    /** Marks every open descriptor above 2 close-on-exec, except the kept ones. */
    public static void closeOthersOnExec(Path procSelfFd) {
        Set<Integer> kept = kept();
        LibC libc = Native.libc();
        for (int fd : openFds(procSelfFd)) {
            if (fd > 2 && !kept.contains(fd)) {
                libc.fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
    }

    /**
     * The descriptors listed in {@code procSelfFd} (one entry per open descriptor; the listing's
     * own descriptor may appear and be gone already). Empty when the directory cannot be read.
     */
    public static List<Integer> openFds(Path procSelfFd) {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(procSelfFd)) {
            for (Path p : dir) {
                try {
                    out.add(Integer.parseInt(p.getFileName().toString()));
                } catch (NumberFormatException e) {
                    // not a descriptor entry
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return out;
    }
}
