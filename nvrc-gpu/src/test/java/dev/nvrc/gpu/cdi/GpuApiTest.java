package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.Arch;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.gpu.api.CdiSpecOptions;
import dev.nvrc.gpu.api.NvidiaCdiSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The api of nvrc-gpu gives what the generator gives, and fails with NvrcExceptions only. */
class GpuApiTest {
    @TempDir
    Path root;

    @Test
    void optionsAreTheGeneratorsInGuestPaths() throws Exception {
        CdiSpecOptions d = CdiSpecOptions.defaults();
        assertThat(d.driverRoot()).isEqualTo("/");
        assertThat(d.devRoot()).isEqualTo("/");
        assertThat(d.cdiHookPath()).isEmpty();
        assertThat(d.architecture()).isEqualTo(Arch.current().id());

        CdiSpecOptions ext = CdiSpecOptions.kataGpuExtension();
        assertThat(ext.driverRoot()).isEqualTo("/run/kata-extensions/gpu");
        assertThat(ext.cdiHookPath()).hasValue("/run/kata-extensions/gpu/bin/nvidia-cdi-hook");
        Files.createDirectories(root.resolve("sys"));
        assertThat(CdiSpecOptions.detect(root)).isEqualTo(d).hasSameHashCodeAs(d);
        Files.createDirectories(root.resolve("run/kata-extensions/gpu"));
        assertThat(CdiSpecOptions.detect(root)).isEqualTo(ext).isNotEqualTo(d).isNotEqualTo("x");

        CdiSpecOptions changed = d.withDriverRoot("/opt/nvidia/../driver").withDevRoot("/dev-root/")
                .withCdiHookPath("/usr/local/bin/nvidia-cdi-hook").withArchitecture("ARM64");
        assertThat(changed.driverRoot()).isEqualTo("/opt/driver");
        assertThat(changed.devRoot()).isEqualTo("/dev-root");
        assertThat(changed.architecture()).isEqualTo("aarch64");
        assertThat(changed).hasToString("CdiSpecOptions[driverRoot=/opt/driver, devRoot=/dev-root,"
                + " cdiHookPath=/usr/local/bin/nvidia-cdi-hook, architecture=aarch64]");
        assertThat(d.toString()).contains("cdiHookPath=(looked for)");
    }

    @Test
    void badOptionsAreNvrcExceptionsNamingTheOption() {
        CdiSpecOptions d = CdiSpecOptions.defaults();
        assertThatThrownBy(() -> d.withDriverRoot("relative")).isInstanceOf(NvrcException.class)
                .hasMessage("driver root must be an absolute guest path: relative");
        assertThatThrownBy(() -> d.withDevRoot("dev")).isInstanceOf(NvrcException.class)
                .hasMessage("dev root must be an absolute guest path: dev");
        assertThatThrownBy(() -> d.withCdiHookPath("hook")).isInstanceOf(NvrcException.class)
                .hasMessage("nvidia-cdi-hook path must be an absolute guest path: hook");
        assertThatThrownBy(() -> d.withArchitecture("sparc")).isInstanceOf(NvrcException.class)
                .hasMessage("sparc: unknown architecture (known: x86_64, aarch64)");
    }

    @Test
    void theSpecIsTheGenerators() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.twoGpuExample(root).build();
        CdiSpec internal = CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)));

        NvidiaCdiSpec spec = NvidiaCdiSpec.generate(root, CdiSpecOptions.defaults());

        assertThat(spec.kind()).isEqualTo("nvidia.com/gpu");
        assertThat(spec.cdiVersion()).isEqualTo(internal.cdiVersion());
        assertThat(spec.toJson()).isEqualTo(CdiSpecGenerator.toJson(internal));
        assertThat(spec).isEqualTo(NvidiaCdiSpec.generate(root)).hasSameHashCodeAs(NvidiaCdiSpec.generate(root))
                .isNotEqualTo(internal);
        assertThat(spec.toString()).startsWith("NvidiaCdiSpec[nvidia.com/gpu " + internal.cdiVersion() + ", devices [0, ");
        assertThat(NvidiaCdiSpec.SPEC_PATH).isEqualTo("/var/run/cdi/nvidia.json");
    }

    @Test
    void aTargetThatIsNotARegularFileIsRefusedAndLeftAlone() throws Exception {
        CdiFixture.Machines.twoGpuExample(root).build();
        NvidiaCdiSpec spec = NvidiaCdiSpec.generate(root);
        Path dir = Files.createDirectories(root.resolve("out/nvidia.json"));

        assertThatThrownBy(() -> spec.write(dir)).isInstanceOf(NvrcException.class)
                .hasMessage("refusing to write the CDI spec " + dir + ": it is a directory, not a regular file");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aRootThatIsNotATreeIsRefusedAsNvrcCoreRefusesIt() throws Exception {
        Path typo = root.resolve("typo");
        Path file = Files.writeString(root.resolve("file"), "x");
        Path noSys = Files.createDirectories(root.resolve("empty"));

        for (Path bad : java.util.List.of(typo, file, noSys)) {
            String expected = "under " + bad + ": " + (bad == typo ? "no such directory"
                    : bad == file ? "not a directory" : "no sys directory: not the root of a machine or image tree");
            assertThatThrownBy(() -> PciTopology.read(bad)).isInstanceOf(NvrcException.class).hasMessage(expected);
            assertThatThrownBy(() -> NvidiaCdiSpec.generate(bad)).isInstanceOf(NvrcException.class).hasMessage(expected);
            assertThatThrownBy(() -> NvidiaCdiSpec.generate(bad, CdiSpecOptions.defaults()))
                    .isInstanceOf(NvrcException.class).hasMessage(expected);
            assertThatThrownBy(() -> CdiSpecOptions.detect(bad)).isInstanceOf(NvrcException.class).hasMessage(expected);
        }
    }

    @Test
    void aGenerationErrorNamesTheRootAsGivenAndTheFileInTheTree() throws Exception {
        CdiFixture.Machines.twoGpuExample(root).build();
        Files.delete(root.resolve("proc/driver/nvidia/version"));
        Path relative = Path.of("").toAbsolutePath().relativize(root);

        assertThatThrownBy(() -> NvidiaCdiSpec.generate(relative)).isInstanceOf(NvrcException.class)
                .hasMessageStartingWith("under " + relative + ": ")
                .hasMessageContaining("/proc/driver/nvidia/version")
                .hasMessageNotContaining(root + "/proc"); // the file as a path in the tree
    }
}
