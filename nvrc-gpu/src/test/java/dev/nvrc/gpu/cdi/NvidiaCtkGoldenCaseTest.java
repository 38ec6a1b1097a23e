package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nvidia-container-toolkit v1.20.0's own expected spec for {@code nvidia-ctk cdi generate} (the
 * case {@code default} of {@code cmd/nvidia-ctk/cdi/generate/generate_test.go}, its driver root
 * {@code testdata/lookup/rootfs-1} placed at {@code /rootfs-1}), transcribed as JSON in
 * {@code cdi-reference/nvidia-ctk-v1.20-default.json}, against nvrc's spec for the same files.
 *
 * <p>They are equal after the differences docs/cdi.md lists, each undone here by name:
 * <ol>
 *   <li>the kind: the toolkit's test asks for {@code example.com/device}; nvrc writes
 *       {@code nvidia.com/gpu};</li>
 *   <li>device names: the test's options name devices by index only; nvrc writes index and UUID
 *       (nvidia-ctk's command-line default), so the {@code GPU-...} device is dropped;</li>
 *   <li>{@code NVIDIA_CTK_LIBCUDA_DIR}: not written by nvrc;</li>
 *   <li>device-node fields: the toolkit's test stubs out the device lookup (its rootfs has empty
 *       files, not nodes), so its nodes have paths only; nvrc's fixture has real character
 *       devices and writes what nvidia-ctk writes for them, so {@code major}, {@code minor},
 *       {@code fileMode}, {@code permissions}, {@code gid} and {@code additionalGids} are
 *       removed.</li>
 * </ol>
 */
class NvidiaCtkGoldenCaseTest {
    private static final String DRIVER_ROOT = "/rootfs-1";
    private static final List<String> NODE_FIELDS = List.of("major", "minor", "fileMode", "permissions", "gid");

    @TempDir
    Path root;

    /** rootfs-1 as nodes and files (the other devices of its /dev are there and must be ignored). */
    private NvrcPaths rootfs1() {
        CdiFixture f = CdiFixture.at(root).driverVersion("999.88.77")
                .driverOnlyGpu("0000:07:00.0", "GPU-36b44fe9-2e68-4b8a-9a5c-d64ad11b3b3e", 0)
                .dir("/sys/bus/pci/devices/0000:07:00.0")
                .devRoot(DRIVER_ROOT).driverRoot(DRIVER_ROOT)
                .node("/dev/nvidia0").node("/dev/nvidiactl").node("/dev/nvidia-caps/nvidia-cap1")
                .node("/dev/gdrdrv").node("/dev/infiniband/rdma_cm").node("/dev/infiniband/uverbs0")
                .node("/dev/nvidia-caps-imex-channels/channel0").node("/dev/nvidia-fs0")
                .node("/dev/nvidia-nvswitch0").node("/dev/nvidia-nvswitchctl")
                .driverFile("/etc/cufile.json", "{}")
                .driverFile("/lib/x86_64-linux-gnu/libcuda.so.999.88.77", "")
                .driverFile("/lib/x86_64-linux-gnu/vdpau/libvdpau_nvidia.so.999.88.77", "")
                .dir(DRIVER_ROOT + "/run/udev")
                .driverRoot("/")
                .cdiHook();
        return f.build();
    }

    @Test
    void nvrcsSpecIsTheToolkitsGoldenSpecAfterTheDocumentedDifferences() throws Exception {
        NvrcPaths paths = rootfs1();
        CdiSpecOptions options = CdiSpecOptions.defaults().withDriverRoot(DRIVER_ROOT).withDevRoot(DRIVER_ROOT)
                .withCdiHookPath("/usr/bin/nvidia-cdi-hook");
        String json = CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, options));
        ObjectNode nvrc = (ObjectNode) SharedCdi.parse(json);
        assertThat(KataCdiRules.problems(nvrc)).isEmpty();
        assertThat(SharedCdi.schemaErrors(json)).isEmpty();

        // 1. the kind
        assertThat(nvrc.path("kind").asText()).isEqualTo(CdiSpecGenerator.KIND);
        nvrc.put("kind", "example.com/device");
        // 2. the UUID-named device
        ArrayNode devices = (ArrayNode) nvrc.get("devices");
        assertThat(devices.get(1).path("name").asText()).startsWith("GPU-");
        devices.remove(1);
        // 3. NVIDIA_CTK_LIBCUDA_DIR
        ArrayNode env = (ArrayNode) nvrc.path("containerEdits").get("env");
        env.insert(0, "NVIDIA_CTK_LIBCUDA_DIR=/lib/x86_64-linux-gnu");
        // 4. the live nodes' fields
        List<JsonNode> edits = new java.util.ArrayList<>();
        devices.forEach(d -> edits.add(d.get("containerEdits")));
        edits.add(nvrc.get("containerEdits"));
        for (JsonNode e : edits) {
            ((ObjectNode) e).remove("additionalGids");
            for (JsonNode node : e.path("deviceNodes")) {
                assertThat(node.path("permissions").asText()).isEqualTo("rwm");
                ((ObjectNode) node).remove(NODE_FIELDS);
            }
        }

        JsonNode golden = SharedCdi.parse(SharedCdi.read(SharedCdi.file("nvidia-ctk-v1.20-default.json")));
        assertThat(SharedCdi.dataBound(nvrc)).isEqualTo(SharedCdi.dataBound(golden));
    }
}
