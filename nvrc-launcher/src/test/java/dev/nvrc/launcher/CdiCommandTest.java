package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import dev.nvrc.gpu.cdi.CdiSpecGenerator;
import dev.nvrc.testkit.SysfsFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdiCommandTest {
    private static final String VERSION = "570.172.08";
    private static final String UUID = "GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c";

    @TempDir
    Path root;

    @TempDir
    Path work;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A one-GPU guest image: driver files under {@code driverDir} (a guest path). */
    private void image(String driverDir) throws Exception {
        SysfsFixture fx = SysfsFixture.at(root).gpu("0000:41:00.0")
                .text("proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  " + VERSION + "  x\n")
                .text("proc/driver/nvidia/gpus/0000:41:00.0/information",
                        "GPU UUID: \t " + UUID + "\nBus Location: \t 0000:41:00.0\nDevice Minor: \t 0\n")
                .text(driverDir.substring(1) + "usr/lib/x86_64-linux-gnu/libcuda.so." + VERSION, "libcuda");
        charDevices(fx.paths(), "/dev/nvidia0", "/dev/nvidiactl");
    }

    @BeforeEach
    void standardImage() throws Exception {
        image("/");
    }

    /** Real character devices (0:0, which any user may make), as the generator insists on. */
    private static void charDevices(NvrcPaths paths, String... guestPaths) throws Exception {
        for (String p : guestPaths) {
            Path node = paths.resolve(p);
            if (Files.exists(node, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                continue;
            }
            Files.createDirectories(node.getParent());
            Process mknod = new ProcessBuilder("mknod", node.toString(), "c", "0", "0").inheritIO().start();
            assertThat(mknod.waitFor()).isZero();
        }
    }

    private int run(String... args) {
        return CdiCommand.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheSpecWithGuestPathsToStdout() throws Exception {
        assertThat(run("--root", root.toString())).isZero();
        NvrcPaths paths = NvrcPaths.under(root);
        assertThat(out()).isEqualTo(CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults())))
                .contains("\"hostPath\": \"/usr/lib/x86_64-linux-gnu/libcuda.so." + VERSION + "\"",
                        "\"name\": \"" + UUID + "\"", "\"path\": \"/dev/nvidia0\"")
                .doesNotContain(root.toString());
        assertThat(err()).isEmpty();
    }

    @Test
    void writesTheSpecToOutputAtomicallyWithMode0644() throws Exception {
        Path file = work.resolve("cdi/nvidia.json");
        assertThat(run("--root=" + root, "--output=" + file)).isZero();
        assertThat(out()).isEmpty();
        assertThat(Files.readString(file)).startsWith("{\n  \"cdiVersion\": \"0.5.0\",\n  \"kind\": \"nvidia.com/gpu\",");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
        try (var names = Files.list(file.getParent())) {
            assertThat(names).containsExactly(file);
        }
    }

    @Test
    void findsTheKataGpuExtensionOrTheGivenDriverRoot() throws Exception {
        image("/run/kata-extensions/gpu/");
        Files.delete(root.resolve("usr/lib/x86_64-linux-gnu/libcuda.so." + VERSION));
        assertThat(run("--root", root.toString())).as(err()).isZero();
        assertThat(out()).contains("\"hostPath\": \"/run/kata-extensions/gpu/usr/lib/x86_64-linux-gnu/libcuda.so.");

        Files.move(root.resolve("run/kata-extensions/gpu/usr"), Files.createDirectories(root.resolve("opt/drv")).resolve("usr"));
        out.reset();
        assertThat(run("--root", root.toString(), "--driver-root", "/opt/drv/")).as(err()).isZero();
        assertThat(out()).contains("\"hostPath\": \"/opt/drv/usr/lib/x86_64-linux-gnu/libcuda.so.",
                "\"containerPath\": \"/usr/lib/x86_64-linux-gnu/libcuda.so.");
    }

    @Test
    void devRootGivesNodesAHostPath() throws Exception {
        charDevices(NvrcPaths.under(root), "/host/dev/nvidia0", "/host/dev/nvidiactl");
        assertThat(run("--root", root.toString(), "--dev-root", "/host")).as(err()).isZero();
        assertThat(out()).contains("\"path\": \"/dev/nvidia0\",\n", "\"hostPath\": \"/host/dev/nvidia0\"");
    }

    @Test
    void aMachineTheGeneratorRefusesIsExitStatus2WithItsReason() throws Exception {
        Files.delete(root.resolve("dev/nvidia0"));
        assertThat(run("--root", root.toString())).isEqualTo(2);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("nvrc: under " + root + ": device node /dev/nvidia0 of GPU 0000:41:00.0 "
                + "(/proc/driver/nvidia/gpus/0000:41:00.0/information) does not exist\n");
    }

    @Test
    void anOutputThatCannotBeWrittenIsExitStatus2WithTheReasonInWords() throws Exception {
        Path file = Files.writeString(work.resolve("plain"), "");
        Path target = file.resolve("nvidia.json");
        assertThat(run("--root", root.toString(), "--output", target.toString())).isEqualTo(2);
        assertThat(err()).startsWith("nvrc: cannot write the CDI spec " + target + ": ")
                .doesNotContain("Exception");
    }

    @Test
    void aDirectoryAsOutputIsRefusedAndLeftAlone() throws Exception {
        Path dir = Files.createDirectories(work.resolve("nvidia.json"));
        Files.writeString(dir.resolve("x"), "");
        assertThat(run("--root", root.toString(), "--output", dir.toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("nvrc: refusing to write the CDI spec " + dir + ": it is a directory,"
                + " not a regular file (give a regular file, a new path or - for stdout)\n");
        assertThat(dir.resolve("x")).exists();
    }

    @Test
    void aSymlinkAsOutputIsRefusedAndNeitherItNorItsTargetChanges() throws Exception {
        Path victim = Files.writeString(work.resolve("victim"), "keep me");
        Path link = Files.createSymbolicLink(work.resolve("nvidia.json"), victim);
        assertThat(run("--root", root.toString(), "--output", link.toString())).isEqualTo(2);
        assertThat(err()).contains("refusing to write the CDI spec " + link + ": it is a symbolic link");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        try (var names = Files.list(work)) {
            assertThat(names).containsExactlyInAnyOrder(victim, link);
        }
    }

    @Test
    void aDeviceNodeAsOutputIsRefusedAndStaysADevice() throws Exception {
        Path node = work.resolve("full");
        Process mknod = new ProcessBuilder("mknod", node.toString(), "c", "0", "0").inheritIO().start();
        assertThat(mknod.waitFor()).isZero();
        assertThat(run("--root", root.toString(), "--output", node.toString())).isEqualTo(2);
        assertThat(err()).contains("it is a device, FIFO or socket, not a regular file");
        assertThat(Files.isRegularFile(node)).isFalse();
        assertThat(Files.exists(node, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFifoAsOutputIsRefusedWithoutBlocking() throws Exception {
        Path fifo = work.resolve("nvidia.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThat(run("--root", root.toString(), "--output", fifo.toString())).isEqualTo(2);
        assertThat(err()).contains("it is a device, FIFO or socket");
        assertThat(Files.isRegularFile(fifo)).isFalse();
    }

    @Test
    void anExistingRegularFileIsReplaced() throws Exception {
        Path file = Files.writeString(work.resolve("nvidia.json"), "old");
        assertThat(run("--root", root.toString(), "--output", file.toString())).as(err()).isZero();
        assertThat(Files.readString(file)).startsWith("{\n  \"cdiVersion\"");
    }

    @Test
    void outputDashIsStdout() throws Exception {
        assertThat(run("--root", root.toString(), "--output", "-")).as(err()).isZero();
        assertThat(out()).startsWith("{\n  \"cdiVersion\"");
        assertThat(work.resolve("-")).doesNotExist();
        assertThat(Path.of("-")).doesNotExist();
        out.reset();
        assertThat(run("--root", root.toString(), "--output=-")).isZero();
        assertThat(out()).startsWith("{\n  \"cdiVersion\"");
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFifoWhereTheDriverVersionFileBelongsIsExitStatus2NotAHang() throws Exception {
        Path version = root.resolve("proc/driver/nvidia/version");
        Files.delete(version);
        Process mkfifo = new ProcessBuilder("mkfifo", version.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        assertThat(run("--root", root.toString())).isEqualTo(2);
        assertThat(err()).contains("a FIFO, not a regular file");
        assertThat(out()).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(20)
    void devZeroWhereAGpuInformationFileBelongsIsExitStatus2NotOutOfMemory() throws Exception {
        Path info = root.resolve("proc/driver/nvidia/gpus/0000:41:00.0/information");
        Files.delete(info);
        Files.createSymbolicLink(info, Path.of("/dev/zero"));
        assertThat(run("--root", root.toString())).isEqualTo(2);
        assertThat(err()).contains("a character device, not a regular file");
    }

    @Test
    void aHugeGpuInformationFileIsExitStatus2() throws Exception {
        Path info = root.resolve("proc/driver/nvidia/gpus/0000:41:00.0/information");
        Files.write(info, new byte[(1 << 20) + 1]);
        assertThat(run("--root", root.toString())).isEqualTo(2);
        assertThat(err()).contains("larger than 1048576 bytes");
    }

    @Test
    void usageErrors() throws IOException {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).isEqualTo("nvrc: --root DIR is required\nnvrc: " + CdiCommand.USAGE + "\n");
        err.reset();
        assertThat(run("--root", root.toString(), "--frobnicate")).isEqualTo(2);
        assertThat(err()).startsWith("nvrc: unknown argument '--frobnicate'\n");
        err.reset();
        assertThat(run("--root")).isEqualTo(2);
        assertThat(err()).startsWith("nvrc: --root needs a value\n");
        err.reset();
        assertThat(run("--root", root.toString(), "--root", root.toString())).isEqualTo(2);
        assertThat(err()).startsWith("nvrc: --root given twice\n");
        err.reset();
        assertThat(run("--root", root.resolve("missing").toString())).isEqualTo(2);
        assertThat(err()).isEqualTo("nvrc: --root " + root.resolve("missing") + " is not a directory\n");
        err.reset();
        assertThat(run("--root", root.toString(), "--driver-root", "relative/dir")).isEqualTo(2);
        assertThat(err()).startsWith("nvrc: driver root must be an absolute guest path: relative/dir\n");
        err.reset();
        assertThat(run("--root", root.toString(), "--arch", "sparc")).isEqualTo(2);
        assertThat(err()).startsWith("nvrc: --arch sparc: unknown architecture (known: x86_64, aarch64)\n");
        assertThat(out()).isEmpty();
    }

    @Test
    void anotherArchitecturesImageHasItsLibrariesInItsOwnMultiarchDirectory() throws Exception {
        Path x86 = root.resolve("usr/lib/x86_64-linux-gnu/libcuda.so." + VERSION);
        Files.move(x86, Files.createDirectories(root.resolve("usr/lib/aarch64-linux-gnu")).resolve(x86.getFileName()));
        assertThat(run("--root", root.toString(), "--arch", "aarch64")).as(err()).isZero();
        assertThat(out()).contains("\"hostPath\": \"/usr/lib/aarch64-linux-gnu/libcuda.so." + VERSION + "\"");
        out.reset();
        assertThat(run("--root", root.toString(), "--arch=x86_64")).isEqualTo(2);
        assertThat(err()).startsWith("nvrc: under " + root + ": no driver libraries: libcuda.so." + VERSION + " is in none of [/usr/lib/x86_64-linux-gnu, ");
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out()).isEqualTo(CdiCommand.USAGE + "\n");
        assertThat(err()).isEmpty();
    }
}
