package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written SHA-256 is the JDK's, for every length around the block and padding boundaries. */
class Sha256Test {
    @Test
    void knownAnswers() {
        assertThat(HexFormat.of().formatHex(Sha256.of(new byte[0])))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(HexFormat.of().formatHex(Sha256.of("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII))))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void everyLengthUpTo300AndLargeInputsAreTheJdksDigest() throws Exception {
        Random random = new Random(29);
        for (int n = 0; n <= 300; n++) {
            byte[] data = new byte[n];
            random.nextBytes(data);
            assertThat(Sha256.of(data)).as("length %d", n).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
        byte[] odd = new byte[1000];
        random.nextBytes(odd);
        for (int chunk : new int[] {1, 3, 63, 64, 65, 127, 999}) {
            assertThat(Sha256.of(odd, chunk)).as("chunks of %d", chunk)
                    .isEqualTo(MessageDigest.getInstance("SHA-256").digest(odd));
        }
        byte[] large = new byte[3 * 64 * 1024 + 17];
        random.nextBytes(large);
        assertThat(Sha256.of(large)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(large));
    }

    @Test
    void aFileReadInChunksIsHashedAsAWhole(@TempDir Path dir) throws Exception {
        byte[] data = new byte[200_003];
        new Random(7).nextBytes(data);
        Path file = Files.write(dir.resolve("f"), data);
        assertThat(Sha256.of(file)).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
    }
}
