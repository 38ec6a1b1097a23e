package dev.nvrc.kernel.libc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The marshalling of the jffi binding on harmless calls: strings in, arrays out, in and both,
 * errno, variadic calls. (Mounts, spawns and execve run in the PID-1 sandbox tests.)
 */
class JffiLibCTest {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 02000000;
    private static final int F_GETFD = 1;
    private static final int FD_CLOEXEC = 1;
    private static final int ENOENT = 2;
    private static final int EBADF = 9;
    private static final int RLIMIT_NOFILE = 7;

    final LibC libc = Native.libc();

    @TempDir
    Path dir;

    @Test
    void aUtf8PathGoesInAsACStringAndReadFillsTheArray() throws Exception {
        Path file = dir.resolve("größe-Ω.txt");
        Files.writeString(file, "hello, libc");
        int fd = libc.open(file.toString(), O_RDONLY | O_CLOEXEC, 0);
        assertThat(fd).as("open: %s", ErrnoText.last()).isNotNegative();
        try {
            assertThat(libc.lseek(fd, 7, 0 /* SEEK_SET */)).isEqualTo(7);
            byte[] buffer = new byte[64];
            long n = libc.read(fd, buffer, buffer.length);
            assertThat(new String(buffer, 0, (int) n, StandardCharsets.UTF_8)).isEqualTo("libc");
            // A variadic call (fcntl's third argument) on the descriptor open(2) made close-on-exec.
            assertThat(libc.fcntl(fd, F_GETFD, 0) & FD_CLOEXEC).isEqualTo(FD_CLOEXEC);
        } finally {
            assertThat(libc.close(fd)).isZero();
        }
    }

    @Test
    void aFailedCallLeavesItsErrno() {
        assertThat(libc.open(dir.resolve("missing").toString(), O_RDONLY, 0)).isEqualTo(-1);
        assertThat(Native.errno()).isEqualTo(ENOENT);
        assertThat(libc.close(-1)).isEqualTo(-1);
        assertThat(Native.errno()).isEqualTo(EBADF);
        assertThat(ErrnoText.last()).isEqualTo("EBADF (Bad file descriptor)");
    }

    @Test
    void outArraysComeBackFilled() {
        int[] fds = {-1, -1};
        assertThat(libc.pipe2(fds, O_CLOEXEC)).isZero();
        try {
            assertThat(fds[0]).isNotNegative();
            assertThat(fds[1]).isNotNegative().isNotEqualTo(fds[0]);
        } finally {
            libc.close(fds[0]);
            libc.close(fds[1]);
        }
        long[] limit = {-2, -2};
        assertThat(libc.getrlimit(RLIMIT_NOFILE, limit)).isZero();
        assertThat(limit[0]).isPositive();
        assertThat(Long.compareUnsigned(limit[0], limit[1])).isLessThanOrEqualTo(0);
    }

    @Test
    void inArraysGoInAndNullIsNull() {
        // sendto on an unconnected unix datagram socket with a NULL address: the kernel refuses it
        // (ENOTCONN, 107) rather than reading an address that is not there.
        int fd = libc.socket(1 /* AF_UNIX */, 2 /* SOCK_DGRAM */ | O_CLOEXEC, 0);
        assertThat(fd).isNotNegative();
        try {
            byte[] datagram = "x".getBytes(StandardCharsets.US_ASCII);
            assertThat(libc.sendto(fd, datagram, datagram.length, 0, null, 0)).isEqualTo(-1);
            assertThat(Native.errno()).isEqualTo(107);
        } finally {
            libc.close(fd);
        }
    }

    @Test
    void mallocGivesWritableMemoryThatFreeReturns() {
        long block = libc.malloc(4096);
        assertThat(block).isNotZero();
        com.kenai.jffi.MemoryIO.getInstance().putInt(block + 4092, 0x1234);
        assertThat(com.kenai.jffi.MemoryIO.getInstance().getInt(block + 4092)).isEqualTo(0x1234);
        libc.free(block);
        assertThat(libc.getpid()).isEqualTo((int) ProcessHandle.current().pid());
    }
}
