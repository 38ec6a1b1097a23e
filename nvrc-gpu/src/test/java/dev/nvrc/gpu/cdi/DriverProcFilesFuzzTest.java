package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The readers of the NVIDIA driver's {@code /proc/driver/nvidia} files ({@link DriverVersion},
 * {@link DriverGpus} with {@link GpuInformation}) may only return a value or throw
 * {@link BootFailure}, whatever bytes the files hold; any other exception is a bug.
 *
 * <p>Each input is written into one fixture tree (created once): split at {@code 0xff} bytes into
 * the {@code version} file and the {@code information} files of GPUs {@value #GPU_A} and
 * {@value #GPU_B} (the last part keeps any further {@code 0xff}). A missing part deletes the file.
 */
class DriverProcFilesFuzzTest {
    private static final String GPU_A = "0000:41:00.0";
    private static final String GPU_B = "0000:42:00.0";

    @TempDir
    static Path root;

    private static NvrcPaths paths;

    @BeforeAll
    static void fixtureTree() throws IOException {
        paths = NvrcPaths.under(root);
        for (String bdf : List.of(GPU_A, GPU_B)) {
            Files.createDirectories(paths.nvidiaGpus().resolve(bdf));
            Files.createDirectories(paths.pciDevices().resolve(bdf));
        }
    }

    @FuzzTest(maxDuration = "60s")
    void read(byte[] input) throws IOException {
        List<byte[]> parts = split(input, 3);
        write(paths.resolve(DriverVersion.FILE), parts.get(0));
        write(information(GPU_A), parts.size() > 1 ? parts.get(1) : null);
        write(information(GPU_B), parts.size() > 2 ? parts.get(2) : null);
        check();
    }

    /** A thousand near-valid files, so plain {@code mvn test} explores more than the seeds. */
    @Test
    void grammarBasedRandomFiles() throws IOException {
        Random random = new Random(20261125L);
        List<String> versionLines = List.of(
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.172.08  Tue Jul  8 18:33:15 UTC 2025",
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.172.08  Release Build",
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  390.87", "NVRM version:", "NVRM version: 570.",
                "  NVRM version:\t535.54.03", "GCC version:  gcc version 12.2.0", "NVRM version: 1.2.3.4", "",
                "NVRM version: \u0665\u0667\u0660.1.2", "nvrm version: 570.1.2");
        List<String> keys = List.of("GPU UUID", "Device Minor", "Bus Location", "GPU Excluded", "Model", " GPU UUID ",
                "gpu uuid", "", "Device Minor\t");
        List<String> values = List.of("GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c", "GPU-4CF8DB2D-06C0-7D70-1A51-E59B25B2C16C",
                "GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16", "MIG-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c", "0", "1", "254",
                "255", "0255", "-1", "99999999999", "\u0661", GPU_A, GPU_B, "0000:41:00.0 ", "Yes", "No", "yes", "", ":");
        int versions = 0;
        int gpuLists = 0;
        for (int i = 0; i < 1_000; i++) {
            StringBuilder version = new StringBuilder();
            for (int n = random.nextInt(3); n >= 0; n--) {
                version.append(versionLines.get(random.nextInt(versionLines.size()))).append('\n');
            }
            write(paths.resolve(DriverVersion.FILE), version.toString().getBytes(StandardCharsets.UTF_8));
            for (String bdf : List.of(GPU_A, GPU_B)) {
                StringBuilder info = new StringBuilder();
                if (random.nextBoolean()) {
                    // A well-formed head half the time: the driver's first value of a key wins.
                    info.append("GPU UUID: \t GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16").append(bdf.charAt(6))
                            .append("\nDevice Minor: \t ").append(bdf.charAt(6)).append('\n');
                }
                for (int n = random.nextInt(6); n >= 0; n--) {
                    info.append(keys.get(random.nextInt(keys.size()))).append(random.nextBoolean() ? ": \t " : ":")
                            .append(values.get(random.nextInt(values.size()))).append(random.nextBoolean() ? "\n" : "\r\n");
                }
                write(information(bdf), random.nextInt(30) == 0 ? null : info.toString().getBytes(StandardCharsets.UTF_8));
            }
            versions += checkVersion() ? 1 : 0;
            gpuLists += checkGpus() ? 1 : 0;
        }
        // The grammar must reach both outcomes of each reader, or it explores nothing.
        assertThat(versions).isBetween(50, 950);
        assertThat(gpuLists).isBetween(50, 950);
    }

    @Test
    void twoWellFormedGpus() throws IOException {
        write(paths.resolve(DriverVersion.FILE), "NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.172.08  x\n"
                .getBytes(StandardCharsets.UTF_8));
        write(information(GPU_A), "GPU UUID: \t GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c\nDevice Minor: \t 0\n"
                .getBytes(StandardCharsets.UTF_8));
        write(information(GPU_B), "GPU UUID: \t GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16d\nDevice Minor: \t 1\n"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(check()).isTrue();
    }

    @Test
    void aFileThatIsNotUtf8IsNamedAsSuch() throws IOException {
        write(paths.resolve(DriverVersion.FILE), new byte[] {'N', 'V', (byte) 0xc3, (byte) 0x28});

        assertThatThrownBy(() -> DriverVersion.read(paths)).isInstanceOf(BootFailure.class)
                .hasMessage(DriverVersion.FILE + " is not UTF-8 text, as the kernel writes it; it gives the driver version"
                        + " (is the nvidia module loaded?)");
    }

    /** Reads both files; true when both parsed. Anything but a value or a BootFailure fails the test. */
    private static boolean check() {
        boolean version = checkVersion();
        return checkGpus() && version;
    }

    private static boolean checkVersion() {
        try {
            assertThat(DriverVersion.read(paths)).matches(DriverVersion.SHAPE);
            return true;
        } catch (BootFailure e) {
            assertThat(e.getMessage()).contains(DriverVersion.FILE);
            return false;
        }
    }

    private static boolean checkGpus() {
        try {
            List<DriverGpu> gpus = DriverGpus.read(paths);
            assertThat(gpus).isNotEmpty().hasSizeLessThanOrEqualTo(2);
            assertThat(gpus).extracting(DriverGpu::minor).doesNotHaveDuplicates()
                    .allSatisfy(m -> assertThat(m).isBetween(0, GpuInformation.MAX_MINOR));
            assertThat(gpus).extracting(g -> g.uuid().toLowerCase(Locale.ROOT)).doesNotHaveDuplicates();
            assertThat(gpus).extracting(DriverGpu::bdf).isSorted();
            return true;
        } catch (BootFailure e) {
            assertThat(e.getMessage()).contains(DriverGpus.DIR);
            return false;
        }
    }

    private static Path information(String bdf) {
        return paths.nvidiaGpus().resolve(bdf).resolve("information");
    }

    private static void write(Path file, byte[] content) throws IOException {
        if (content == null) {
            Files.deleteIfExists(file);
        } else {
            Files.write(file, content);
        }
    }

    /** Splits at 0xff into at most {@code limit} parts; the last keeps the rest. */
    private static List<byte[]> split(byte[] input, int limit) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < input.length && parts.size() < limit - 1; i++) {
            if (input[i] == (byte) 0xff) {
                parts.add(Arrays.copyOfRange(input, start, i));
                start = i + 1;
            }
        }
        parts.add(Arrays.copyOfRange(input, start, input.length));
        return parts;
    }
}
