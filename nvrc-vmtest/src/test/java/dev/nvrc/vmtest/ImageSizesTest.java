package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image's sizes as the benchmark reports them. */
class ImageSizesTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsItsSizeInKbRoundedUp() throws Exception {
        BenchFixture.write(dir.resolve("a"), "x".repeat(1024));
        BenchFixture.write(dir.resolve("b"), "x".repeat(1025));
        assertThat(ImageSizes.fileKb(dir.resolve("a"))).isEqualTo(1);
        assertThat(ImageSizes.fileKb(dir.resolve("b"))).isEqualTo(2);
        assertThat(ImageSizes.fileKb(dir.resolve("missing"))).isZero();
    }

    @Test
    void aTreeCountsAHardLinkedFileOnceAndALinkAsItself() throws Exception {
        Path root = dir.resolve("root");
        BenchFixture.write(root.resolve("usr/lib/nvrc/app.jsa"), "x".repeat(10 * 1024));
        Files.createLink(root.resolve("usr/lib/nvrc/app-again.jsa"), root.resolve("usr/lib/nvrc/app.jsa"));
        Files.createSymbolicLink(root.resolve("usr/lib/nvrc/jre"), root.resolve("usr"));
        long dirs = Files.size(root) + Files.size(root.resolve("usr")) + Files.size(root.resolve("usr/lib"))
                + Files.size(root.resolve("usr/lib/nvrc"));
        long link = root.resolve("usr").toString().length();
        assertThat(ImageSizes.treeKb(root)).isEqualTo((10 * 1024 + dirs + link + 1023) / 1024);
        assertThat(ImageSizes.treeKb(root.resolve("usr/lib/nvrc/app.jsa"))).isEqualTo(10);
    }

    @Test
    void aTreeIsWhatDuPrintsForItsApparentSize() throws Exception {
        Path root = dir.resolve("root");
        for (int i = 0; i < 20; i++) {
            BenchFixture.write(root.resolve("d" + i % 3 + "/f" + i), "y".repeat(i * 700));
        }
        Process du;
        try {
            du = new ProcessBuilder("du", "-sk", "--apparent-size", root.toString()).start();
        } catch (java.io.IOException e) {
            assumeThat(e).as("GNU du to compare with").isNull();
            return;
        }
        String printed = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeThat(du.waitFor()).as("GNU du (--apparent-size)").isZero();
        assertThat(ImageSizes.treeKb(root)).isEqualTo(Long.parseLong(printed.split("\\s")[0]));
    }

    @Test
    void aMissingImageIsAnErrorNotZeroKb() {
        BenchFixture.write(dir.resolve("root/x"), "x");
        BenchFixture.write(dir.resolve("initramfs.img"), "x");
        assertThatThrownBy(() -> ImageSizes.of(dir.resolve("nvrc-image.tar.gz"), dir.resolve("root"), dir.resolve("initramfs.img")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nvrc-image.tar.gz");
    }

    @Test
    void theRestIsWhatTheNamedPartsLeave() {
        ImageSizes s = new ImageSizes(26918, 54688, 37037, 19579, 9533, 12084, 5366, 4443, 1621);
        assertThat(s.restKb()).isEqualTo(3683);
        assertThat(s.floorKb()).isEqualTo(34478);
    }
}
