package dev.nvrc.kernel.libc;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.annotations.Variadic;

/**
 * libc functions that jnr-posix does not offer (or offers only through a heavier path).
 *
 * <p>Every call saves errno, read it with {@link Native#errno()} right after a call returned -1.
 * Structures are passed as primitive arrays so that the interface works with and without
 * jnr-ffi's ASM code generation ({@code -Djnr.ffi.asm.enabled=false} in the boot image).
 */
@SaveError
public interface LibC {
    /** {@code mount(2)}; {@code fsType} and {@code data} may be null. */
    int mount(String source, String target, String fsType, long flags, String data);

    /** {@code umount2(2)}. */
    int umount2(String target, int flags);

    /** {@code socket(2)}. */
    int socket(int domain, int type, int protocol);

    /** {@code ioctl(2)} with a pointer argument (a {@code struct ifreq} here). */
    @Variadic(fixedCount = 2)
    int ioctl(int fd, long request, @In @Out byte[] argument);

    /** {@code fcntl(2)} with an int argument. */
    @Variadic(fixedCount = 2)
    int fcntl(int fd, int cmd, int argument);

    /** {@code close(2)}. */
    int close(int fd);

    /** {@code pipe2(2)}. */
    int pipe2(@Out int[] fds, int flags);

    /** {@code setrlimit(2)}; {@code limit} is {@code {soft, hard}}. */
    int setrlimit(int resource, @In long[] limit);

    /** {@code getrlimit(2)}; {@code limit} receives {@code {soft, hard}}. */
    int getrlimit(int resource, @Out long[] limit);

    /** {@code pthread_sigmask(3)}; sets are {@code sigset_t} sized byte arrays, {@code old} may be null. */
    int pthread_sigmask(int how, @In byte[] set, @Out byte[] old);

    /** {@code recv(2)}. */
    long recv(int fd, @Out byte[] buffer, long length, int flags);

    /**
     * {@code recvfrom(2)}; {@code address} receives the sender's {@code struct sockaddr} and
     * {@code addressLength[0]} goes in as its size and comes out as the sender's address length.
     */
    long recvfrom(int fd, @Out byte[] buffer, long length, int flags, @Out byte[] address, @In @Out int[] addressLength);

    /** {@code bind(2)} with a {@code struct sockaddr} as bytes. */
    int bind(int fd, @In byte[] address, int addressLength);

    /** {@code connect(2)} with a {@code struct sockaddr} as bytes. */
    int connect(int fd, @In byte[] address, int addressLength);

    /** {@code sync(2)}. */
    void sync();

    /** {@code reboot(2)} with one of the LINUX_REBOOT_CMD_* values. */
    int reboot(int cmd);
}
