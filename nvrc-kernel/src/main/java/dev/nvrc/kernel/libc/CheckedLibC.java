package dev.nvrc.kernel.libc;

import dev.nvrc.core.BootFailure;

/**
 * The {@link LibC} calls whose failure is a {@link BootFailure}, checked in one place (the idea of
 * jnr-posix's {@code CheckedPOSIX}): each method makes the call and, when it returned -1 (or, for
 * the posix_spawn family, an error number), throws a failure worded {@code <what>: <errno text>},
 * where {@code what} is the caller's account of what it attempted ({@code mount proc on /proc})
 * and the errno text is {@link ErrnoText#of}. So no adapter reads errno or compares a return code
 * to turn it into a failure.
 *
 * <p>Calls whose -1 is not a failure (EINTR retried by a reader loop, ECHILD ending the reaper,
 * reboot(2) whose failure halts) stay on the plain binding.
 */
public final class CheckedLibC {
    private CheckedLibC() {}

    /** {@code mount(2)}. */
    public static void mount(String what, String source, String target, String fsType, long flags, String data)
            throws BootFailure {
        check(what, Native.libc().mount(source, target, fsType, flags, data));
    }

    /** {@code mknod(2)}. */
    public static void mknod(String what, String path, int mode, long dev) throws BootFailure {
        check(what, Native.libc().mknod(path, mode, dev));
    }

    /** {@code socket(2)}: the new descriptor. */
    public static int socket(String what, int domain, int type, int protocol) throws BootFailure {
        return check(what, Native.libc().socket(domain, type, protocol));
    }

    /** {@code ioctl(2)} with a pointer argument. */
    public static void ioctl(String what, int fd, long request, byte[] argument) throws BootFailure {
        check(what, Native.libc().ioctl(fd, request, argument));
    }

    /** {@code fcntl(2)} with an int argument: its non-negative result. */
    public static int fcntl(String what, int fd, int cmd, int argument) throws BootFailure {
        return check(what, Native.libc().fcntl(fd, cmd, argument));
    }

    /** {@code pipe2(2)}. */
    public static void pipe2(String what, int[] fds, int flags) throws BootFailure {
        check(what, Native.libc().pipe2(fds, flags));
    }

    /** {@code setrlimit(2)}. */
    public static void setrlimit(String what, int resource, long[] limit) throws BootFailure {
        check(what, Native.libc().setrlimit(resource, limit));
    }

    /** {@code getrlimit(2)}. */
    public static void getrlimit(String what, int resource, long[] limit) throws BootFailure {
        check(what, Native.libc().getrlimit(resource, limit));
    }

    /** {@code bind(2)}. */
    public static void bind(String what, int fd, byte[] address, int addressLength) throws BootFailure {
        check(what, Native.libc().bind(fd, address, addressLength));
    }

    /** {@code connect(2)}. */
    public static void connect(String what, int fd, byte[] address, int addressLength) throws BootFailure {
        check(what, Native.libc().connect(fd, address, addressLength));
    }

    /** {@code setsockopt(2)} with an int option. */
    public static void setsockopt(String what, int fd, int level, int option, int[] value, int valueLength)
            throws BootFailure {
        check(what, Native.libc().setsockopt(fd, level, option, value, valueLength));
    }

    /** {@code sendto(2)}: the bytes sent. */
    public static long sendto(String what, int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength)
            throws BootFailure {
        long sent = Native.libc().sendto(fd, buffer, length, flags, address, addressLength);
        if (sent < 0) {
            throw failure(what, ErrnoText.last());
        }
        return sent;
    }

    /** {@code execve(2)}, which returns only when it failed: so it always throws. */
    public static void execve(String what, String path, String[] argv, String[] envp) throws BootFailure {
        Native.libc().execve(path, argv, envp);
        throw failure(what, ErrnoText.last());
    }

    /**
     * The result of a posix_spawn-family call, which returns its error number instead of setting
     * errno: nothing when 0.
     */
    public static void checkError(String what, int error) throws BootFailure {
        if (error != 0) {
            throw failure(what, ErrnoText.of(error));
        }
    }

    /** {@code result} when it is not negative; otherwise the failure of {@code what} with errno. */
    private static int check(String what, int result) throws BootFailure {
        if (result < 0) {
            throw failure(what, ErrnoText.last());
        }
        return result;
    }

    private static BootFailure failure(String what, String errno) {
        return new BootFailure(what + ": " + errno);
    }
}
