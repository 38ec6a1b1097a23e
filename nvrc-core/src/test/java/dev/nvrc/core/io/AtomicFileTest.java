package dev.nvrc.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic file writer: the CDI spec, the Fabric Manager config and the boot report use it. */
class AtomicFileTest {
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

    @TempDir
    Path dir;

    private List<String> names(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void createsMissingDirectoriesAndWritesMode0644() throws Exception {
        Path target = dir.resolve("var/run/cdi/nvidia.json");
        write("{}\n", target);
        assertThat(target).hasContent("{}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(names(target.getParent())).containsExactly("nvidia.json");
    }

    @Test
    void anotherWritersTemporaryFilesAndLinksAreLeftAloneAndEachWriteUsesANewName() throws Exception {
        Path target = dir.resolve("nvidia.json");
        Files.writeString(dir.resolve(".nvidia.json.1.tmp"), "someone else's");
        Files.createSymbolicLink(dir.resolve(".nvidia.json.2.tmp"), dir.resolve("elsewhere"));
        for (int i = 0; i < 50; i++) {
            write(i + "\n", target);
        }
        assertThat(target).hasContent("49");
        assertThat(dir.resolve(".nvidia.json.1.tmp")).hasContent("someone else's");
        assertThat(dir.resolve("elsewhere")).doesNotExist();
        assertThat(names(dir)).containsExactly(".nvidia.json.1.tmp", ".nvidia.json.2.tmp", "nvidia.json");
    }

    @Test
    void replacesAnExistingSpecByRenameNotByRewritingIt() throws Exception {
        Path target = dir.resolve("nvidia.json");
        Files.writeString(target, "old content that is longer than the new one\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Object oldInode = Files.getAttribute(target, "unix:ino");
        // A reader that opened the old spec keeps reading all of the old one.
        try (var reader = Files.newBufferedReader(target)) {
            write("new\n", target);
            assertThat(reader.readLine()).isEqualTo("old content that is longer than the new one");
        }
        assertThat(target).hasContent("new");
        assertThat(Files.getAttribute(target, "unix:ino")).isNotEqualTo(oldInode);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
        assertThat(names(dir)).containsExactly("nvidia.json");
    }

    @Test
    void aTargetThatCannotBeReplacedFailsNamingItAndLeavesNoTemporaryFile() throws Exception {
        Path target = dir.resolve("nvidia.json");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "x");
        assertThatThrownBy(() -> write("{}\n", target)).isInstanceOf(BootFailure.class)
                .hasMessageContaining("refusing to write the CDI spec " + target + ": it is a directory");
        assertThat(names(dir)).containsExactly("nvidia.json");
        assertThat(target.resolve("keep")).hasContent("x");
    }

    @Test
    void aSymlinkTargetIsRefusedAndItsTargetKept() throws Exception {
        Path victim = Files.writeString(dir.resolve("full"), "device stand-in");
        Path target = Files.createSymbolicLink(dir.resolve("nvidia.json"), victim);
        assertThatThrownBy(() -> write("{}\n", target)).isInstanceOf(BootFailure.class)
                .hasMessageContaining("it is a symbolic link, not a regular file");
        assertThat(Files.isSymbolicLink(target)).isTrue();
        assertThat(victim).hasContent("device stand-in");
    }

    @Test
    void aFifoTargetIsRefused() throws Exception {
        Path target = dir.resolve("nvidia.json");
        Process mkfifo = new ProcessBuilder("mkfifo", target.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThatThrownBy(() -> write("{}\n", target)).isInstanceOf(BootFailure.class)
                .hasMessageContaining("it is a device, FIFO or socket, not a regular file");
        assertThat(names(dir)).containsExactly("nvidia.json");
    }

    @Test
    void aDirectoryThatCannotBeMadeFailsNamingTheSpec() throws Exception {
        Files.writeString(dir.resolve("var"), "a file where a directory should be");
        Path target = dir.resolve("var/run/cdi/nvidia.json");
        assertThatThrownBy(() -> write("{}\n", target)).isInstanceOf(BootFailure.class)
                .hasMessageContaining("cannot write the CDI spec " + target + ": ");
    }

    @Test
    void aFailureNamesTheGuestPathGivenNotTheHostPath() throws Exception {
        Files.writeString(dir.resolve("run"), "a file where a directory should be");
        assertThatThrownBy(() -> AtomicFile.write(dir.resolve("run/fabricmanager.cfg"), new byte[] {1},
                Set.of(PosixFilePermission.OWNER_READ), "/run/fabricmanager.cfg"))
                .isInstanceOf(BootFailure.class).hasMessageStartingWith("cannot write /run/fabricmanager.cfg: ")
                .hasMessageNotContaining(dir.toString());
    }

    private static void write(String text, Path target) throws BootFailure {
        AtomicFile.write(target, text.getBytes(StandardCharsets.UTF_8), MODE, "the CDI spec " + target);
    }
}
