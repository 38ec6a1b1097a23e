package dev.nvrc.kernel.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SandboxSafetyTest {
    @Test
    void aNamespaceEnteredFromRootIsRecognised() {
        assertThat(SandboxSafety.enteredFromHostRoot("         0          0          1\n")).isTrue();
        // The initial user namespace (no sandbox at all).
        assertThat(SandboxSafety.enteredFromHostRoot("         0          0 4294967295\n")).isTrue();
    }

    @Test
    void aNamespaceEnteredFromAnUnprivilegedUidIsSafe() {
        assertThat(SandboxSafety.enteredFromHostRoot("         0        999          1\n")).isFalse();
        assertThat(SandboxSafety.enteredFromHostRoot("")).isFalse();
    }

    @Test
    void anUnreadableMapCountsAsUnsafe() {
        assertThat(SandboxSafety.enteredFromHostRoot(Path.of("/nonexistent/uid_map"))).isTrue();
    }

    @Test
    void thisTestJvmIsInTheInitialNamespace() throws Exception {
        // Whoever runs the tests: the check sees the host mapping of this very process.
        assertThat(SandboxSafety.enteredFromHostRoot(Path.of("/proc/self/uid_map"))).isTrue();
        assertThat(SandboxSafety.realUid()).isGreaterThanOrEqualTo(0);
        assertThat(SandboxSafety.uidOf("root")).isZero();
        assertThat(SandboxSafety.uidOf("no-such-user-nvrc")).isEqualTo(-1);
    }
}
