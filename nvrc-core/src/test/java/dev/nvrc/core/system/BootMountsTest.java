package dev.nvrc.core.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.Mounts;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BootMountsTest {
    @Test
    void theStandardListMatchesTheBehaviourReference() {
        // source, target, type, flags, data, optional (behaviour.md §3, mounts table)
        assertThat(BootMounts.STANDARD).containsExactly(
                new MountRequest("proc", "/proc", "proc", 0x20000E, null, false),
                new MountRequest("dev", "/dev", "devtmpfs", 0x20000A, "mode=0755", false),
                new MountRequest("sysfs", "/sys", "sysfs", 0x20000E, null, false),
                new MountRequest("run", "/run", "tmpfs", 0x20000E, "mode=0755", false),
                new MountRequest("tmpfs", "/tmp", "tmpfs", 0x200006, null, false),
                new MountRequest("securityfs", "/sys/kernel/security", "securityfs", 0x20000E, null, true),
                new MountRequest("configfs", "/sys/kernel/config", "configfs", 0x20000E, null, true));
    }

    @Test
    void mountAllMountsInOrderAndCountsWhatWasMounted() throws BootFailure {
        List<String> calls = new ArrayList<>();
        Mounts recording = new Mounts() {
            @Override
            public boolean mount(MountRequest request) {
                calls.add(request.target());
                return !request.optional();
            }

            @Override
            public void remountReadOnly(String target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Set<String> filesystems() {
                return Set.of();
            }
        };
        assertThat(BootMounts.mountAll(recording)).isEqualTo(5);
        assertThat(calls).containsExactly("/proc", "/dev", "/sys", "/run", "/tmp", "/sys/kernel/security", "/sys/kernel/config");
    }
}
