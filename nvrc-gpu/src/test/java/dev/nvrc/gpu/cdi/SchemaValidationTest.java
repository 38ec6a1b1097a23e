package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Path;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The schema check and the extra checks are real: they accept the reference examples and our specs,
 * and each rejects what it should (so a passing golden test means something).
 */
class SchemaValidationTest {
    @ParameterizedTest
    @ValueSource(strings = {"examples/nvidia-2gpu.json", "examples/nvidia-2gpu-kata-extension.json",
        "examples/nvidia-2gpu-minimal.json", "podman/smoke.json"})
    void sharedValidSpecsPassBothChecks(String file) {
        String json = SharedCdi.read(SharedCdi.file(file));
        assertThat(SharedCdi.schemaErrors(json)).isEmpty();
        assertThat(CdiSpecChecks.problems(SharedCdi.parse(json))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"podman/invalid-kind.json", "podman/invalid-duplicate-name.json",
        "podman/invalid-version.json", "podman/invalid-unknown-field.json", "podman/invalid-relative-path.json"})
    void specsPodmanRejectsPassTheSchemaButNotTheExtraChecks(String file) {
        String json = SharedCdi.read(SharedCdi.file(file));
        assertThat(SharedCdi.schemaErrors(json)).isEmpty();
        assertThat(CdiSpecChecks.problems(SharedCdi.parse(json))).isNotEmpty();
    }

    static Stream<Arguments> schemaBreakers() {
        return Stream.of(
                Arguments.of("no kind", (Consumer<ObjectNode>) s -> s.remove("kind"), "kind"),
                Arguments.of("no cdiVersion", (Consumer<ObjectNode>) s -> s.remove("cdiVersion"), "cdiVersion"),
                Arguments.of("device without containerEdits",
                        (Consumer<ObjectNode>) s -> device(s, 0).remove("containerEdits"), "containerEdits"),
                // The next three are checked through defs.json: they prove the $ref is resolved.
                Arguments.of("mount without containerPath",
                        (Consumer<ObjectNode>) s -> mount(s, 0).remove("containerPath"), "containerPath"),
                Arguments.of("node without path",
                        (Consumer<ObjectNode>) s -> ((ObjectNode) s.at("/containerEdits/deviceNodes/0")).remove("path"),
                        "path"),
                Arguments.of("hook args not strings",
                        (Consumer<ObjectNode>) s -> ((ArrayNode) s.at("/containerEdits/hooks/0/args")).add(7), "string"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaBreakers")
    void theSchemaRejectsABrokenGeneratedSpec(String what, Consumer<ObjectNode> breakIt, String mentioned,
            @TempDir Path root) throws Exception {
        NvrcPaths paths = CdiFixture.Machines.twoGpuExample(root).build();
        ObjectNode spec = (ObjectNode) SharedCdi.parse(
                CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults())));
        assertThat(SharedCdi.schemaErrors(spec.toString())).isEmpty();
        breakIt.accept(spec);
        assertThat(SharedCdi.schemaErrors(spec.toString())).isNotEmpty().anyMatch(e -> e.contains(mentioned));
    }

    @Test
    void extraChecksNameEachProblem() {
        ObjectNode spec = (ObjectNode) SharedCdi.parse(SharedCdi.read(SharedCdi.file("examples/nvidia-2gpu.json")));
        spec.put("cdiVersion", "0.7.0");
        spec.put("kind", "nvidia.com");
        device(spec, 1).put("name", "0");
        device(spec, 2).put("name", "GPU_0!");
        ((ObjectNode) spec.at("/containerEdits/deviceNodes/0")).put("path", "dev/nvidia-modeset");
        mount(spec, 0).put("containerPath", "usr/lib/libcuda.so");
        ((ObjectNode) spec.at("/containerEdits/hooks/0")).put("path", "nvidia-cdi-hook");
        ((ArrayNode) spec.at("/containerEdits/env")).add("not an assignment");
        spec.putObject("annotations").put("a", "b");
        assertThat(String.join("\n", CdiSpecChecks.problems(spec)))
                .contains("cdiVersion 0.7.0", "kind 'nvidia.com'", "duplicate device name '0'",
                        "invalid device name 'GPU_0!'", "path 'dev/nvidia-modeset' is not absolute",
                        "containerPath 'usr/lib/libcuda.so' is not absolute", "path 'nvidia-cdi-hook' is not absolute",
                        "'not an assignment' is not KEY=value", "field 'annotations' is unknown");
    }

    private static ObjectNode device(JsonNode spec, int index) {
        return (ObjectNode) spec.path("devices").get(index);
    }

    private static ObjectNode mount(JsonNode spec, int index) {
        return (ObjectNode) spec.path("containerEdits").path("mounts").get(index);
    }
}
