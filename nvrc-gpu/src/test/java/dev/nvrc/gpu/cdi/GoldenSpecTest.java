package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated specs, byte for byte, for the machines of {@link CdiFixture.Machines}; and, for
 * the machines of the reference examples (test resources {@code cdi-reference/}, written from
 * nvidia-ctk's source), the same content and field order as those examples.
 *
 * <p>After a deliberate change of the output, rewrite the golden files with
 * {@code -Dnvrc.cdi.updateGolden=true} and review the diff.
 */
class GoldenSpecTest {
    private static final Path GOLDEN_SOURCES = Path.of("src/test/resources/cdi");

    @TempDir
    Path root;

    static Stream<String> goldenFiles() {
        return CdiFixture.Machines.golden().keySet().stream().sorted();
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void everyGoldenSpecIsOneKataAgentsCdiCrateLoads(String golden) throws Exception {
        assertThat(KataCdiRules.problems(SharedCdi.parse(resource(golden)))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void generatedSpecEqualsTheGoldenFileByteForByte(String golden) throws Exception {
        CdiFixture.assumeNodesOfGroupRoot();
        String json = generate(golden);
        if (Boolean.getBoolean("nvrc.cdi.updateGolden")) {
            Files.createDirectories(GOLDEN_SOURCES);
            Files.writeString(GOLDEN_SOURCES.resolve(golden), json);
        }
        assertThat(json).isEqualTo(resource(golden));
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void everyGoldenSpecIsValidByTheSchemaAndTheRulesItMisses(String golden) throws Exception {
        String json = resource(golden);
        assertThat(SharedCdi.schemaErrors(json)).isEmpty();
        assertThat(CdiSpecChecks.problems(SharedCdi.parse(json))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("goldenFiles")
    void jacksonDataBindingOfTheModelGivesTheSameBytesAsTheStreamingWriter(String golden) throws Exception {
        NvrcPaths paths = CdiFixture.Machines.golden().get(golden).apply(root).build();
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)));
        assertThat(SharedCdi.dataBound(spec)).isEqualTo(CdiSpecGenerator.toJson(spec));
    }

    @Test
    void twoGpuHostGivesExactlyTheSharedNvidiaCtkExample() throws Exception {
        CdiFixture.assumeNodesOfGroupRoot();
        assertSameAsExample(generate("nvidia-2gpu.json"), "examples/nvidia-2gpu.json");
    }

    @Test
    void kataExtensionGuestGivesExactlyTheSharedNvidiaCtkExample() throws Exception {
        CdiFixture.assumeNodesOfGroupRoot();
        assertSameAsExample(generate("nvidia-2gpu-kata-extension.json"), "examples/nvidia-2gpu-kata-extension.json");
    }

    @Test
    void theSameMachineBuiltInAnotherOrderGivesTheSameBytes(@TempDir Path other) throws Exception {
        String first = generate("nvidia-8gpu.json");
        // Same files, created in reverse order, so directory listings come back in another order.
        CdiFixture reversed = CdiFixture.at(other).driverVersion(CdiFixture.VERSION);
        List<String> bdfs = CdiFixture.Machines.HGX_BDFS;
        for (int i = bdfs.size() - 1; i >= 0; i--) {
            reversed.gpu(bdfs.get(i), String.format("GPU-%08x-1111-2222-3333-%012x", 0xa0b0c0d0L + i,
                    0x10de2330L * (i + 1)), i).dri(bdfs.get(i), i + 1, 128 + i);
        }
        reversed.node("/dev/nvidia-caps/nvidia-cap2").node("/dev/nvidia-caps/nvidia-cap1")
                .node("/dev/nvidia-modeset").node("/dev/nvidia-uvm-tools").node("/dev/nvidia-uvm").node("/dev/nvidiactl")
                .cdiHook()
                .driverFile("/lib/firmware/nvidia/" + CdiFixture.VERSION + "/gsp_tu10x.bin", "fw")
                .driverFile("/lib/firmware/nvidia/" + CdiFixture.VERSION + "/gsp_ga10x.bin", "fw");
        for (int i = DriverFiles.PROGRAMS.size() - 1; i >= 0; i--) {
            reversed.program("/usr/bin/" + DriverFiles.PROGRAMS.get(i));
        }
        List<String> reversedLibraries = new ArrayList<>(CdiFixture.FULL_LIBRARIES);
        Collections.reverse(reversedLibraries);
        reversed.dir("/tmp/nvidia-mps")
                .driverFile(CdiFixture.LIB_DIR + "/vdpau/libvdpau_nvidia.so." + CdiFixture.VERSION, "VDPAU")
                .driverFile(CdiFixture.LIB_DIR + "/libnvidia-nvvm70.so.4", "legacy NVVM");
        reversed.socket("/run/nvidia-fabricmanager/socket").socket("/run/nvidia-persistenced/socket")
                .libraries(CdiFixture.VERSION, reversedLibraries);
        NvrcPaths paths = reversed.build();
        String second = CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths))));
        assertThat(second).isEqualTo(first);
    }

    private String generate(String golden) throws Exception {
        NvrcPaths paths = CdiFixture.Machines.golden().get(golden).apply(root).build();
        return CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths))));
    }

    /** Same content and field order: the example re-printed by our printer must be our bytes. */
    private static void assertSameAsExample(String generated, String example) {
        String reprinted = SharedCdi.dataBound(SharedCdi.parse(SharedCdi.read(SharedCdi.file(example))));
        assertThat(generated).isEqualTo(reprinted);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GoldenSpecTest.class.getResourceAsStream("/cdi/" + name)) {
            assertThat(in).as("golden file /cdi/%s (make it with -Dnvrc.cdi.updateGolden=true)", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
