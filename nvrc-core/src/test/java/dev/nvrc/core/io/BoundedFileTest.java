package dev.nvrc.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BoundedFileTest {
    @TempDir
    Path dir;

    @Test
    void readsASmallRegularFileWhole() throws IOException {
        Path f = Files.write(dir.resolve("vendor"), "0x10de\n".getBytes());
        assertThat(new String(BoundedFile.read(f, BoundedFile.KERNEL_FILE))).isEqualTo("0x10de\n");
    }

    @Test
    void aFileOfExactlyTheBoundIsRead() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[100]);
        assertThat(BoundedFile.read(f, 100)).hasSize(100);
    }

    @Test
    void oneByteMoreThanTheBoundIsRefused() throws IOException {
        Path f = Files.write(dir.resolve("f"), new byte[101]);
        assertThatThrownBy(() -> BoundedFile.read(f, 100))
                .isInstanceOf(BoundedFile.FileTooLargeException.class)
                .satisfies(e -> assertThat(IoReason.of((IOException) e)).isEqualTo("larger than 100 bytes"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aFifoIsRefusedWithoutBlocking() throws Exception {
        Path fifo = dir.resolve("class");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo is not available");
        assertThatThrownBy(() -> BoundedFile.read(fifo, BoundedFile.KERNEL_FILE))
                .isInstanceOf(BoundedFile.NotRegularFileException.class)
                .satisfies(e -> assertThat(IoReason.of((IOException) e)).isEqualTo("a FIFO, not a regular file"));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void devZeroIsRefusedAsACharacterDevice() {
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero");
        assertThatThrownBy(() -> BoundedFile.read(zero, BoundedFile.KERNEL_FILE))
                .isInstanceOf(BoundedFile.NotRegularFileException.class)
                .hasMessageContaining("a character device, not a regular file");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void aLinkToDevZeroIsRefusedToo() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero");
        Path link = Files.createSymbolicLink(dir.resolve("cmdline"), Path.of("/dev/zero"));
        assertThatThrownBy(() -> BoundedFile.read(link, BoundedFile.CONFIG_FILE))
                .isInstanceOf(BoundedFile.NotRegularFileException.class);
    }

    @Test
    void aDirectoryIsRefused() {
        assertThatThrownBy(() -> BoundedFile.read(dir, 10))
                .isInstanceOf(BoundedFile.NotRegularFileException.class)
                .hasMessageContaining("a directory, not a regular file");
    }

    @Test
    void aMissingFileSaysSo() {
        assertThatThrownBy(() -> BoundedFile.read(dir.resolve("nope"), 10))
                .isInstanceOf(NoSuchFileException.class)
                .satisfies(e -> assertThat(IoReason.of((IOException) e)).isEqualTo("no such file or directory"));
    }

    @Test
    void aSymlinkLoopSaysSo() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        assertThatThrownBy(() -> BoundedFile.read(a, 10))
                .isInstanceOf(IOException.class)
                .satisfies(e -> assertThat(IoReason.of((IOException) e)).containsIgnoringCase("symbolic links"));
    }

    @Test
    void anUnreadableFileSaysPermissionDenied() throws IOException {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads any file");
        Path f = Files.write(dir.resolve("vpd"), new byte[] {1});
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> BoundedFile.read(f, 10))
                .isInstanceOf(AccessDeniedException.class)
                .satisfies(e -> assertThat(IoReason.of((IOException) e)).isEqualTo("permission denied"));
    }

    @Test
    void aBoundThatCannotBeExceededIsABug() {
        assertThatThrownBy(() -> BoundedFile.read(dir, Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class);
    }
}
