package dev.nvrc.kernel.mount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.MountFlags;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MountTableTest {
    static final String SAMPLE = String.join("\n",
            "22 1 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw",
            "23 1 0:22 / /sys rw,nosuid,nodev,noexec,relatime shared:2 master:1 - sysfs sysfs rw",
            "24 1 0:5 / /dev rw,nosuid,relatime - devtmpfs dev rw,size=4096k,mode=755",
            "30 1 0:40 / /mnt/with\\040space ro,noatime - tmpfs my\\134source rw",
            "31 1 0:41 / /run rw,nosuid,nodev,noexec,relatime - tmpfs run rw,mode=755",
            "32 31 0:42 / /run rw,nosuid,nodev,relatime - tmpfs run2 rw",
            "");

    @Test
    void parsesFieldsAroundTheOptionalFieldsSeparator() throws BootFailure {
        MountTable t = MountTable.parse(SAMPLE, "mountinfo");
        assertThat(t.entries()).hasSize(6);
        MountEntry sys = t.find("/sys").orElseThrow();
        assertThat(sys.fsType()).isEqualTo("sysfs");
        assertThat(sys.source()).isEqualTo("sysfs");
        assertThat(sys.options()).containsExactly("rw", "nosuid", "nodev", "noexec", "relatime");
        assertThat(t.find("/dev").orElseThrow().superOptions()).contains("mode=755");
    }

    @Test
    void decodesOctalEscapes() throws BootFailure {
        MountTable t = MountTable.parse(SAMPLE, "mountinfo");
        MountEntry e = t.find("/mnt/with space").orElseThrow();
        assertThat(e.source()).isEqualTo("my\\source");
        assertThat(e.readOnly()).isTrue();
        assertThat(MountTable.unescape("a\\011b\\012c\\134d")).isEqualTo("a\tb\nc\\d");
        assertThat(MountTable.unescape("not\\9escape\\04")).isEqualTo("not\\9escape\\04");
    }

    @Test
    void theLastMountAtAPathIsTheVisibleOne() throws BootFailure {
        MountTable t = MountTable.parse(SAMPLE, "mountinfo");
        assertThat(t.find("/run").orElseThrow().source()).isEqualTo("run2");
        assertThat(t.isMountPoint("/run")).isTrue();
        assertThat(t.isMountPoint("/run/x")).isFalse();
        assertThat(t.isMountPoint("/")).isFalse();
    }

    @Test
    void preservedFlagsKeepAccessAndAtimeOptions() throws BootFailure {
        MountTable t = MountTable.parse(SAMPLE, "mountinfo");
        assertThat(t.find("/proc").orElseThrow().preservedFlags()).isEqualTo(MountFlags.COMMON);
        assertThat(t.find("/dev").orElseThrow().preservedFlags()).isEqualTo(MountFlags.MS_NOSUID | MountFlags.MS_RELATIME);
        assertThat(t.find("/mnt/with space").orElseThrow().preservedFlags()).isEqualTo(0x400L);
    }

    @Test
    void aMalformedLineIsAFailureNamingFileAndLine() {
        assertThatThrownBy(() -> MountTable.parse("22 1 0:21 / /proc rw - proc\n", "/proc/self/mountinfo"))
                .isInstanceOf(BootFailure.class)
                .hasMessageContaining("/proc/self/mountinfo line 1")
                .hasMessageContaining("expected");
        assertThatThrownBy(() -> MountTable.parse("ok\n", "m")).hasMessageContaining("m line 1");
    }

    @Test
    void aMissingFileIsAnEmptyTable(@TempDir Path dir) throws BootFailure {
        assertThat(MountTable.read(dir.resolve("nope")).entries()).isEmpty();
    }

    @Test
    void anUnreadableFileIsAFailure(@TempDir Path dir) {
        // A directory cannot be read as a file.
        assertThatThrownBy(() -> MountTable.read(dir)).isInstanceOf(BootFailure.class).hasMessageContaining(dir.toString());
    }

    @Test
    void readsThisProcessMountTable() throws Exception {
        MountTable t = MountTable.read(Path.of("/proc/self/mountinfo"));
        assertThat(t.isMountPoint("/proc")).isTrue();
        assertThat(t.find("/proc").orElseThrow().fsType()).isEqualTo("proc");
        assertThat(Files.exists(Path.of("/proc/self/mountinfo"))).isTrue();
    }
}
