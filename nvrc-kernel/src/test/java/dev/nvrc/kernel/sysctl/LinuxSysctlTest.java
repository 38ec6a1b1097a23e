package dev.nvrc.kernel.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.kernel.Pid1Guard;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxSysctlTest {
    private final LinuxSysctl sysctl = new LinuxSysctl(NvrcPaths.system(), Pid1Guard.system());

    @Test
    void readsAMultiDigitIntegerFileWhole() throws Exception {
        String value = sysctl.read("kernel.pid_max");
        byte[] buf = new byte[64];
        int n;
        try (RandomAccessFile f = new RandomAccessFile("/proc/sys/kernel/pid_max", "r")) {
            n = f.read(buf);
        }
        assertThat(value).isEqualTo(new String(buf, 0, n, StandardCharsets.US_ASCII).trim()).hasSizeGreaterThan(1);
    }

    @Test
    void aMissingKeyIsAFailureNamingIt() {
        assertThatThrownBy(() -> sysctl.read("kernel.nvrc_no_such_key"))
                .isInstanceOf(BootFailure.class)
                .hasMessageContaining("sysctl kernel.nvrc_no_such_key")
                .hasMessageContaining("no such parameter");
    }

    @Test
    void readsAndWritesUnderAnotherRootForFixtures(@TempDir Path root) throws Exception {
        Path file = root.resolve("proc/sys/net/unix/max_dgram_qlen");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "10\n");
        LinuxSysctl fixture = new LinuxSysctl(NvrcPaths.under(root), Pid1Guard.system());
        assertThat(fixture.read("net.unix.max_dgram_qlen")).isEqualTo("10");
        // Writing is guarded even under a fixture root: only PID 1 writes sysctls.
        assertThatThrownBy(() -> fixture.write("net.unix.max_dgram_qlen", "4096")).hasMessageContaining("not PID 1");
    }
}
