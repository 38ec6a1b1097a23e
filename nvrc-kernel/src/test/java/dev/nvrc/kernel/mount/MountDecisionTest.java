package dev.nvrc.kernel.mount;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.system.BootMounts;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MountDecisionTest {
    private static final Set<String> FS = Set.of("proc", "sysfs", "tmpfs", "securityfs");

    private static MountTable table() throws BootFailure {
        return MountTable.parse(MountTableTest.SAMPLE, "mountinfo");
    }

    @Test
    void mountsWhatIsNotMountedYet() throws BootFailure {
        assertThat(MountDecision.decide(BootMounts.TMP, "/tmp", true, table(), FS)).isEqualTo(MountDecision.MOUNT);
        assertThat(MountDecision.decide(BootMounts.TMP, "/tmp", false, table(), FS).mounts()).isTrue();
    }

    @Test
    void skipsAnAlreadyMountedTarget() throws BootFailure {
        assertThat(MountDecision.decide(BootMounts.PROC, "/proc", true, table(), FS)).isEqualTo(MountDecision.ALREADY_MOUNTED);
        assertThat(MountDecision.decide(BootMounts.PROC, "/proc", true, MountTable.empty(), FS)).isEqualTo(MountDecision.MOUNT);
    }

    @Test
    void optionalMountsNeedTheFilesystemAndTheTarget() throws BootFailure {
        assertThat(MountDecision.decide(BootMounts.CONFIGFS, "/sys/kernel/config", true, table(), FS))
                .isEqualTo(MountDecision.FILESYSTEM_UNSUPPORTED);
        assertThat(MountDecision.decide(BootMounts.SECURITYFS, "/sys/kernel/security", false, table(), FS))
                .isEqualTo(MountDecision.TARGET_MISSING);
        assertThat(MountDecision.decide(BootMounts.SECURITYFS, "/sys/kernel/security", true, table(), FS))
                .isEqualTo(MountDecision.MOUNT);
    }

    @Test
    void mandatoryMountsIgnoreTheFilesystemList() throws BootFailure {
        MountRequest r = new MountRequest("x", "/x", "unknownfs", 0, null, false);
        assertThat(MountDecision.decide(r, "/x", false, table(), Set.of())).isEqualTo(MountDecision.MOUNT);
    }
}
