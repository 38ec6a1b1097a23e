package dev.nvrc.kernel.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.kernel.libc.Native;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InheritedFdsTest {
    @Test
    void beforeExecEveryDescriptorButTheKeptOnesIsMarkedCloseOnExec() throws BootFailure {
        int[] plain = new int[2];
        int[] kept = new int[2];
        // pipe2 without O_CLOEXEC: descriptors like the ones the JDK opens.
        assertThat(Native.libc().pipe2(plain, 0)).isZero();
        assertThat(Native.libc().pipe2(kept, 0)).isZero();
        try {
            assertThat(InheritedFds.isCloseOnExec(plain[0])).isFalse();
            InheritedFds.keep(kept[0]);
            InheritedFds.closeOthersOnExec(Path.of("/proc/self/fd"));
            assertThat(InheritedFds.isCloseOnExec(plain[0])).isTrue();
            assertThat(InheritedFds.isCloseOnExec(plain[1])).isTrue();
            assertThat(InheritedFds.isCloseOnExec(kept[1])).isTrue();
            assertThat(InheritedFds.isCloseOnExec(kept[0])).isFalse();
            assertThat(InheritedFds.isCloseOnExec(0)).isFalse();
            assertThat(InheritedFds.kept()).contains(kept[0]);
        } finally {
            InheritedFds.release(kept[0]);
            assertThat(InheritedFds.kept()).doesNotContain(kept[0]);
            for (int fd : new int[] {plain[0], plain[1], kept[0], kept[1]}) {
                Native.libc().close(fd);
            }
        }
    }

    @Test
    void aClosedDescriptorCannotBeKept() {
        assertThatThrownBy(() -> InheritedFds.keep(999_999)).isInstanceOf(BootFailure.class)
                .hasMessage("clear close-on-exec on fd 999999: EBADF (Bad file descriptor)");
        assertThatThrownBy(() -> InheritedFds.closeOnExec(999_999)).hasMessageStartingWith("set close-on-exec on fd 999999: EBADF");
        assertThat(InheritedFds.isCloseOnExec(999_999)).isFalse();
    }

    @Test
    void anUnreadableDescriptorDirectoryListsNothing() {
        assertThat(InheritedFds.openFds(Path.of("/nonexistent/fd"))).isEmpty();
        assertThat(InheritedFds.openFds(Path.of("/proc/self/fd"))).contains(0, 1, 2);
    }
}
