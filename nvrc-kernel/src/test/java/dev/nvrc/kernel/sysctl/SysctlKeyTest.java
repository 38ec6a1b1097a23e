package dev.nvrc.kernel.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysctlKeyTest {
    @Test
    void dotsBecomeSlashes() throws BootFailure {
        assertThat(SysctlKey.relativePath("kernel.modules_disabled")).isEqualTo("kernel/modules_disabled");
        assertThat(SysctlKey.relativePath("net.core.rmem_max")).isEqualTo("net/core/rmem_max");
        assertThat(SysctlKey.file(Path.of("/proc/sys"), "net.unix.max_dgram_qlen"))
                .isEqualTo(Path.of("/proc/sys/net/unix/max_dgram_qlen"));
    }

    @Test
    void aKeyWithSlashesIsAPathAndKeepsItsDots() throws BootFailure {
        assertThat(SysctlKey.relativePath("net/ipv4/conf/eth0.100/forwarding")).isEqualTo("net/ipv4/conf/eth0.100/forwarding");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".kernel", "kernel.", "kernel..panic", "../etc/passwd", "kernel/../../x", "kernel.pa nic", "/kernel/panic"})
    void malformedKeysAreFailuresNamingTheKey(String key) {
        assertThatThrownBy(() -> SysctlKey.relativePath(key))
                .isInstanceOf(BootFailure.class)
                .hasMessageContaining("sysctl");
    }

    @Test
    void theFailureNamesTheKey() {
        assertThatThrownBy(() -> SysctlKey.relativePath("kernel..panic")).hasMessageContaining("kernel..panic");
    }
}
