package dev.nvrc.kernel.libc;

/**
 * The libc functions nvrc calls, as one small binding ({@link Native#libc()}, on jffi).
 *
 * <p>One interface rather than jnr-posix and jnr-unixsocket: binding it is the only native set-up
 * the boot pays for, and under an emulated CPU each of those libraries cost a large part of a
 * second at its first use (docs/performance.md, docs/dependencies.md).
 *
 * <p>Every call saves errno, read it with {@link Native#errno()} right after a call returned -1
 * (the posix_spawn family returns its error number instead). Structures are passed as primitive
 * arrays, copied to native memory for the call: in when the C function reads them, back out when
 * it writes them (each method says which); a null array or string is NULL. The opaque posix_spawn
 * objects are byte arrays of at least their glibc size ({@link #SPAWN_OBJECT_BYTES}), copied in and
 * out by each call (glibc keeps no pointer to the object itself, only to what it allocates). The
 * one exception is {@link #recvmmsg}, whose structures point at each other and so live in native
 * memory from {@link #malloc}, passed as addresses.
 */
public interface LibC {
    /**
     * Room for a {@code posix_spawn_file_actions_t} (80 bytes in glibc on 64-bit) or a
     * {@code posix_spawnattr_t} (336 bytes), with margin.
     */
    int SPAWN_OBJECT_BYTES = 512;

    /** {@code mount(2)}; {@code fsType} and {@code data} may be null. */
    int mount(String source, String target, String fsType, long flags, String data);

    /** {@code mknod(2)}: {@code mode} is the file type and permission bits, {@code dev} the 64-bit {@code dev_t}. */
    int mknod(String path, int mode, long dev);

    /** {@code umount2(2)}. */
    int umount2(String target, int flags);

    /** {@code socket(2)}. */
    int socket(int domain, int type, int protocol);

    /** {@code ioctl(2)} with a pointer argument (a {@code struct ifreq} here), copied in and out. */
    int ioctl(int fd, long request, byte[] argument);

    /** {@code fcntl(2)} with an int argument. */
    int fcntl(int fd, int cmd, int argument);

    /** {@code close(2)}. */
    int close(int fd);

    /** {@code pipe2(2)}; {@code fds} receives the two descriptors. */
    int pipe2(int[] fds, int flags);

    /** {@code setrlimit(2)}; {@code limit} is {@code {soft, hard}}. */
    int setrlimit(int resource, long[] limit);

    /** {@code getrlimit(2)}; {@code limit} receives {@code {soft, hard}}. */
    int getrlimit(int resource, long[] limit);

    /** {@code pthread_sigmask(3)}; sets are {@code sigset_t} sized byte arrays, {@code old} may be null. */
    int pthread_sigmask(int how, byte[] set, byte[] old);

    /** {@code recv(2)} into {@code buffer}. */
    long recv(int fd, byte[] buffer, long length, int flags);

    /**
     * {@code recvmmsg(2)}: {@code messages} is native memory holding {@code count}
     * {@code struct mmsghdr}, each pointing at native buffers; {@code timeout} may be null.
     */
    int recvmmsg(int fd, long messages, int count, int flags, long timeout);

    /** {@code malloc(3)}: native memory that nothing clears or frees behind the caller's back, or null. */
    long malloc(long size);

    /** {@code free(3)} of what {@link #malloc} returned. */
    void free(long address);

    /** {@code bind(2)} with a {@code struct sockaddr} as bytes. */
    int bind(int fd, byte[] address, int addressLength);

    /** {@code connect(2)} with a {@code struct sockaddr} as bytes. */
    int connect(int fd, byte[] address, int addressLength);

    /** {@code setsockopt(2)} with an int option. */
    int setsockopt(int fd, int level, int option, int[] value, int valueLength);

    /** {@code sendto(2)} to a {@code struct sockaddr} as bytes. */
    long sendto(int fd, byte[] buffer, long length, int flags, byte[] address, int addressLength);

    /** {@code open(2)}; {@code mode} matters only with O_CREAT. */
    int open(String path, int flags, int mode);

    /** {@code read(2)} into {@code buffer}. */
    long read(int fd, byte[] buffer, long length);

    /** {@code lseek(2)}. */
    long lseek(int fd, long offset, int whence);

    /** {@code getpid(2)}. */
    int getpid();

    /** {@code kill(2)}. */
    int kill(int pid, int signal);

    /** {@code waitpid(2)}; {@code status[0]} receives the wait status. */
    int waitpid(int pid, int[] status, int options);

    /** {@code execve(2)}; {@code argv} and {@code envp} end with a null element. */
    int execve(String path, String[] argv, String[] envp);

    /** {@code posix_spawn_file_actions_init(3)}. */
    int posix_spawn_file_actions_init(byte[] actions);

    /** {@code posix_spawn_file_actions_addopen(3)}; glibc copies {@code path}. */
    int posix_spawn_file_actions_addopen(byte[] actions, int fd, String path, int flags, int mode);

    /** {@code posix_spawn_file_actions_adddup2(3)}. */
    int posix_spawn_file_actions_adddup2(byte[] actions, int fd, int newFd);

    /** {@code posix_spawn_file_actions_addclose(3)}. */
    int posix_spawn_file_actions_addclose(byte[] actions, int fd);

    /** {@code posix_spawn_file_actions_destroy(3)}. */
    int posix_spawn_file_actions_destroy(byte[] actions);

    /** {@code posix_spawnattr_init(3)}. */
    int posix_spawnattr_init(byte[] attributes);

    /** {@code posix_spawnattr_setflags(3)}. */
    int posix_spawnattr_setflags(byte[] attributes, short flags);

    /** {@code posix_spawnattr_setsigmask(3)}; {@code mask} is a {@code sigset_t} as bytes. */
    int posix_spawnattr_setsigmask(byte[] attributes, byte[] mask);

    /** {@code posix_spawnattr_destroy(3)}. */
    int posix_spawnattr_destroy(byte[] attributes);

    /**
     * {@code posix_spawnp(3)}: 0, with the child's pid in {@code pid[0]}, or an error number;
     * {@code argv} and {@code envp} end with a null element.
     */
    int posix_spawnp(int[] pid, String file, byte[] actions, byte[] attributes, String[] argv, String[] envp);

    /** {@code sync(2)}. */
    void sync();

    /** {@code reboot(2)} with one of the LINUX_REBOOT_CMD_* values. */
    int reboot(int cmd);
}
