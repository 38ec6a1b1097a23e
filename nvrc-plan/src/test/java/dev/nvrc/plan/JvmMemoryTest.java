package dev.nvrc.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JvmMemoryTest {
    @TempDir Path dir;

    @Test
    void readsThePeakAndTheSplitOfTheResidentSet() throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, String.join("\n", "Name:\tjava", "VmPeak:\t  2411508 kB", "VmHWM:\t    59688 kB",
                "VmRSS:\t    58812 kB", "RssAnon:\t    30112 kB", "RssFile:\t    28700 kB", "RssShmem:\t       0 kB",
                "Threads:\t12", ""));
        assertThat(JvmMemory.read(status)).isEqualTo(Map.of("VmHWM", 59688L, "RssAnon", 30112L, "RssFile", 28700L,
                "RssShmem", 0L));
    }

    @Test
    void whatIsMissingOrMalformedIsMinusOneNeverAFailure() throws IOException {
        Path status = dir.resolve("status");
        Files.writeString(status, "VmHWM:\t59688\nRssAnon:\tlots kB\nRssFile: 12 kB\n");
        assertThat(JvmMemory.read(status)).isEqualTo(Map.of("VmHWM", -1L, "RssAnon", -1L, "RssFile", 12L, "RssShmem", -1L));
        assertThat(JvmMemory.read(dir.resolve("absent"))).containsOnly(
                Map.entry("VmHWM", -1L), Map.entry("RssAnon", -1L), Map.entry("RssFile", -1L), Map.entry("RssShmem", -1L));
    }

    @Test
    void theRealStatusOfThisJvmHasEveryFigure() {
        Path self = Path.of("/proc/self/status");
        if (Files.isReadable(self)) {
            assertThat(JvmMemory.read(self).values()).allSatisfy(kb -> assertThat(kb).isNotNegative());
            assertThat(JvmMemory.read(self).get("VmHWM")).isGreaterThan(1000L);
        }
    }
}
