package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TopologyReader} may only return a {@link PciTopology} or throw {@link BootFailure}, whatever
 * bytes sit in the sysfs files it reads; any other exception is a bug.
 *
 * <p>Each input is written into one fixture tree (created once, rewritten per input so fuzzing
 * stays fast): an NVIDIA function, a Mellanox function and a plain file that is not a function.
 * The input is split at {@code 0xff} bytes into, in order, the NVIDIA function's {@code vendor},
 * {@code device}, {@code class} and the Mellanox function's {@code vendor}, {@code device},
 * {@code class}, {@code vpd} (the VPD takes the rest, {@code 0xff} included). A file whose part is
 * missing (fewer separators) is deleted, so absent files are fuzzed too.
 */
class TopologyReaderFuzzTest {
    private static final String NVIDIA_BDF = "0000:41:00.0";
    private static final String MELLANOX_BDF = "0000:c1:00.1";
    private static final List<String> FILES = List.of("vendor", "device", "class");

    @TempDir
    static Path root;

    private static Path nvidia;
    private static Path mellanox;
    private static TopologyReader reader;

    @BeforeAll
    static void fixtureTree() throws IOException {
        NvrcPaths paths = NvrcPaths.under(root);
        nvidia = Files.createDirectories(paths.pciDevices().resolve(NVIDIA_BDF));
        mellanox = Files.createDirectories(paths.pciDevices().resolve(MELLANOX_BDF));
        Files.writeString(paths.pciDevices().resolve("not-a-function"), "x");
        reader = new TopologyReader(paths);
    }

    @FuzzTest(maxDuration = "60s")
    void read(byte[] input) throws IOException {
        List<byte[]> parts = split(input, 7);
        for (int i = 0; i < 3; i++) {
            write(nvidia.resolve(FILES.get(i)), part(parts, i));
            write(mellanox.resolve(FILES.get(i)), part(parts, 3 + i));
        }
        write(mellanox.resolve("vpd"), part(parts, 6));
        check();
    }

    /** A thousand near-valid trees, so plain {@code mvn test} explores more than the seeds. */
    @Test
    void grammarBasedRandomTrees() throws IOException {
        Random random = new Random(20261125L);
        List<String> ids = List.of("0x10de", "0x15b3", "0x8086", "0x10DE\n", " 0x10de ", "0x", "10de", "0x10de0",
                "0xzzzz", "", "\u00ff\u00fe", "0x2330\n", "0x1af1", "-0x1", "0x0000", "0xffff", "0x10de\u0000");
        List<String> classes = List.of("0x030200", "0x030000", "0x068000", "0x040300", "0x0c0330", "0x0c8000",
                "0x060400", "0x020700", "0x120000", "0x0302000", "0x", "0x03020g", " 0x030200\n", "", "0xFFFFFF");
        List<String> vpds = List.of("", "SW_MNG", "\u0082\u0010\u0000PN SW_MNG V0", "SW_MN", "sw_mng", "\u0000\u00ff",
                "\u0090\u000e\u0000VA\u000bSMDL=SW_MNG\u0078", "\u0090\u000e\u0000VA\u000bSMDL=SW_MNX\u0078",
                "\u0090\u0010\u0000VA\u000bSMDL=SW_MNG\u0078");
        int successes = 0;
        for (int i = 0; i < 1_000; i++) {
            List<String> fields = new ArrayList<>();
            for (int f = 0; f < 7; f++) {
                List<String> choices = f == 6 ? vpds : (f == 2 || f == 5) ? classes : ids;
                fields.add(random.nextInt(20) == 0 ? null : choices.get(random.nextInt(choices.size())));
            }
            for (int f = 0; f < 3; f++) {
                write(nvidia.resolve(FILES.get(f)), bytes(fields.get(f)));
                write(mellanox.resolve(FILES.get(f)), bytes(fields.get(3 + f)));
            }
            write(mellanox.resolve("vpd"), bytes(fields.get(6)));
            if (check()) {
                successes++;
            }
        }
        // The grammar must reach both outcomes, or it explores nothing.
        assertThat(successes).isBetween(30, 970);
    }

    @Test
    void aValidTreeReadsAsOneGpuAndOneManagementNic() throws IOException {
        read("0x10de\n\u00ff0x2330\n\u00ff0x030200\n\u00ff0x15b3\n\u00ff0x1021\n\u00ff0x020700\n\u00ff\u0090\u000e\u0000VA\u000bSMDL=SW_MNG\u0078"
                .getBytes(StandardCharsets.ISO_8859_1));
        assertThatCode(() -> {
            PciTopology topology = reader.read();
            assertThat(topology.gpus()).extracting(PciFunction::bdf).containsExactly(NVIDIA_BDF);
            assertThat(topology.swMngNics()).extracting(PciFunction::bdf).containsExactly(MELLANOX_BDF);
        }).doesNotThrowAnyException();
    }

    /** Reads the tree; true when it parsed. Anything but a PciTopology or a BootFailure fails the test. */
    private static boolean check() {
        try {
            PciTopology topology = reader.read();
            // Either fixture function may carry either vendor; the roles must still follow the vendor.
            assertThat(topology.gpus()).allSatisfy(d -> assertThat(d.vendorId()).isEqualTo(TopologyReader.VENDOR_NVIDIA));
            assertThat(topology.nvSwitches()).allSatisfy(d -> assertThat(d.vendorId()).isEqualTo(TopologyReader.VENDOR_NVIDIA));
            assertThat(topology.swMngNics()).allSatisfy(d -> assertThat(d.vendorId()).isEqualTo(TopologyReader.VENDOR_MELLANOX));
            assertThat(topology.swMngNics()).allSatisfy(d -> assertThat(d.bdf()).isEqualTo(MELLANOX_BDF));
            assertThat(topology.gpus().size() + topology.nvSwitches().size() + topology.swMngNics().size())
                    .isLessThanOrEqualTo(2);
            return true;
        } catch (BootFailure e) {
            assertThat(e.getMessage()).isNotBlank().contains(root.toString());
            return false;
        }
    }

    private static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] part(List<byte[]> parts, int i) {
        return i < parts.size() ? parts.get(i) : null;
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
