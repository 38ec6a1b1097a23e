package dev.nvrc.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nvrc.core.BootFailure;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parsers of {@code /sys/class/infiniband/<dev>/ports/1/cap_mask} and {@code gids/0} may only
 * return a value or throw {@link BootFailure} naming the file. The bytes are decoded as
 * {@link PortGuidFinder} decodes a file it reads (ISO-8859-1).
 */
class PortGuidFinderFuzzTest {
    private static final String CAP_MASK = "/sys/class/infiniband/mlx5_0/ports/1/cap_mask";
    private static final String GID = "/sys/class/infiniband/mlx5_0/ports/1/gids/0";

    @FuzzTest(maxDuration = "60s")
    void capMask(byte[] content) {
        checkCapMask(new String(content, StandardCharsets.ISO_8859_1));
    }

    @FuzzTest(maxDuration = "60s")
    void gid(byte[] content) {
        checkGid(new String(content, StandardCharsets.ISO_8859_1));
    }

    /** Thousands of structured values, so plain {@code mvn test} explores more than the seeds. */
    @Test
    void grammarBasedRandomValues() {
        Random random = new Random(20261125L);
        List<String> groups = List.of("fe80", "0000", "0002", "c903", "0029", "7de1", "FFFF", "00", "12345", "", "g000",
                "0x12", " 0", "\u00e9\u00e9\u00e9\u00e9", "+123", "-001");
        List<String> masks = List.of("0x", "0X", "", " ", "\n", "2651e84a", "400", "FFFFFFFF", "1ffffffff", "+1", "-1",
                "0x0x", "g", "\u0000");
        int gids = 0;
        int capMasks = 0;
        for (int i = 0; i < 5_000; i++) {
            StringBuilder gid = new StringBuilder(random.nextInt(8) == 0 ? " " : "");
            int n = random.nextInt(10) == 0 ? random.nextInt(11) : 8;
            for (int g = 0; g < n; g++) {
                gid.append(g > 0 ? ":" : "").append(random.nextInt(3) == 0
                        ? groups.get(random.nextInt(groups.size()))
                        : String.format("%04x", random.nextInt(0x10000)));
            }
            gids += checkGid(gid.append(random.nextBoolean() ? "\n" : "").toString()) ? 1 : 0;
            StringBuilder mask = new StringBuilder();
            for (int m = random.nextInt(4); m >= 0; m--) {
                mask.append(masks.get(random.nextInt(masks.size())));
            }
            capMasks += checkCapMask(mask.toString()) ? 1 : 0;
        }
        assertThat(gids).isBetween(500, 4_500);
        assertThat(capMasks).isBetween(500, 4_500);
    }

    private static boolean checkCapMask(String text) {
        try {
            long mask = PortGuidFinder.parseCapMask(text, CAP_MASK);
            assertThat(mask).isBetween(0L, 0xffff_ffffL);
            String digits = text.strip().replaceFirst("^0[xX]", "");
            assertThat(Long.parseLong(digits, 16)).isEqualTo(mask);
            return true;
        } catch (BootFailure e) {
            assertThat(e.getMessage()).startsWith(CAP_MASK);
            return false;
        }
    }

    private static boolean checkGid(String text) {
        try {
            String guid = PortGuidFinder.guidOf(text, GID);
            assertThat(guid).matches("0x[0-9a-fA-F]{16}").isNotEqualTo("0x0000000000000000");
            String[] groups = text.strip().split(":");
            assertThat(guid.toLowerCase(Locale.ROOT)).isEqualTo(
                    ("0x" + groups[4] + groups[5] + groups[6] + groups[7]).toLowerCase(Locale.ROOT));
            return true;
        } catch (BootFailure e) {
            assertThat(e.getMessage()).startsWith(GID);
            return false;
        }
    }
}
