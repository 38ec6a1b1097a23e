package dev.nvrc.kernel.libc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nvrc.core.BootFailure;
import org.junit.jupiter.api.Test;

class CheckedLibCTest {
    private static final int F_GETFD = 1;

    @Test
    void aFailedCallIsTheAttemptAndTheErrno() {
        BootFailure e = assertThrows(BootFailure.class,
                () -> CheckedLibC.fcntl("read the flags of fd -1", -1, F_GETFD, 0));
        assertEquals("read the flags of fd -1: EBADF (Bad file descriptor)", e.getMessage());
    }

    @Test
    void aSucceededCallReturnsItsResult() throws BootFailure {
        int[] pipe = new int[2];
        CheckedLibC.pipe2("pipe2", pipe, 02000000);
        try {
            assertEquals(1, CheckedLibC.fcntl("flags", pipe[0], F_GETFD, 0) & 1);
        } finally {
            Native.libc().close(pipe[0]);
            Native.libc().close(pipe[1]);
        }
    }

    @Test
    void aSpawnErrorNumberIsWordedTheSameWay() throws BootFailure {
        CheckedLibC.checkError("spawn x", 0);
        BootFailure e = assertThrows(BootFailure.class, () -> CheckedLibC.checkError("spawn x", 2));
        assertEquals("spawn x: ENOENT (No such file or directory)", e.getMessage());
    }
}
