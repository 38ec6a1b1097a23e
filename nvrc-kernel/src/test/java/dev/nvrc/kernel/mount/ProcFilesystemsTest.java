package dev.nvrc.kernel.mount;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcFilesystemsTest {
    @Test
    void takesTheLastTokenOfEachLine() {
        assertThat(ProcFilesystems.parse("nodev\tsysfs\nnodev\tproc\n\text4\nnodev\tsecurityfs\n\n"))
                .containsExactlyInAnyOrder("sysfs", "proc", "ext4", "securityfs");
    }

    @Test
    void matchesWholeNamesOnly() {
        assertThat(ProcFilesystems.parse("nodev\tconfigfs2\n")).doesNotContain("configfs");
    }

    @Test
    void anUnreadableFileListsNothing(@TempDir Path dir) {
        assertThat(ProcFilesystems.read(dir.resolve("missing"))).isEmpty();
    }

    @Test
    void readsTheRunningKernel() {
        assertThat(ProcFilesystems.read(Path.of("/proc/filesystems"))).contains("proc", "sysfs", "tmpfs");
    }
}
