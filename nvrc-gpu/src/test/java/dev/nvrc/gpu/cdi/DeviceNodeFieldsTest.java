package dev.nvrc.gpu.cdi;

import static dev.nvrc.gpu.cdi.CdiFixture.Machines.UUID_0;
import static dev.nvrc.gpu.cdi.CdiFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Device nodes carry what nvidia-ctk (v1.19+) reads from the live node, and the spec stays one
 * that kata-agent's CDI crate and the CDI schema take ({@link KataCdiRules}): {@code additionalGids}
 * raises the declared version to 0.7.0.
 */
class DeviceNodeFieldsTest {
    @TempDir
    Path root;

    /** Nodes other than 0:0, and a group other than the creator's, need root (mknod, chgrp). */
    private static void assumeRoot() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "mknod of a node other than 0:0 and chgrp to another group need root");
    }

    private JsonNode generate(String mode, String gid) throws Exception {
        NvrcPaths paths = CdiFixture.at(root).driverVersion(VERSION)
                .driverOnlyGpu("0000:41:00.0", UUID_0, 0).dir("/sys/bus/pci/devices/0000:41:00.0")
                .node("/dev/nvidia0", "195 0", mode, gid)
                .node("/dev/nvidiactl", "195 255", mode, gid)
                .node("/dev/nvidia-uvm", "511 1048575", "0666", "0")
                .libraries(VERSION, List.of("libcuda")).build();
        String json = CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths))));
        JsonNode spec = SharedCdi.parse(json);
        assertThat(SharedCdi.schemaErrors(json)).isEmpty();
        assertThat(KataCdiRules.problems(spec)).isEmpty();
        return spec;
    }

    @Test
    void aNodeOfTheDriversModeAndAGroupGetsItsNumbersModeGroupAndTheGroupAsAdditionalGid() throws Exception {
        assumeRoot();
        // NVreg_DeviceFileMode=0660 (Kata's NVIDIA rootfs) with NVreg_DeviceFileGID=44.
        JsonNode spec = generate("0660", "44");
        assertThat(spec.path("cdiVersion").asText()).isEqualTo("0.7.0");
        JsonNode gpu = spec.path("devices").get(0).path("containerEdits");
        assertThat(gpu.path("deviceNodes").get(0).toString())
                .isEqualTo("{\"path\":\"/dev/nvidia0\",\"major\":195,\"fileMode\":432,\"permissions\":\"rwm\",\"gid\":44}");
        assertThat(gpu.path("additionalGids").toString()).isEqualTo("[44]");
        JsonNode common = spec.path("containerEdits");
        assertThat(common.path("deviceNodes").toString()).isEqualTo("["
                + "{\"path\":\"/dev/nvidia-uvm\",\"major\":511,\"minor\":1048575,\"fileMode\":438,\"permissions\":\"rwm\"},"
                + "{\"path\":\"/dev/nvidiactl\",\"major\":195,\"minor\":255,\"fileMode\":432,\"permissions\":\"rwm\",\"gid\":44}]");
        assertThat(common.path("additionalGids").toString()).isEqualTo("[44]");
        List<String> fields = list(common.fieldNames());
        assertThat(fields.get(fields.size() - 1)).isEqualTo("additionalGids");
        // podman 4.3 (CDI 0.5.0) would refuse this spec; kata-agent takes it.
        assertThat(CdiSpecChecks.problems(spec)).hasSize(5)
                .contains("cdiVersion 0.7.0 is not one podman 4.3 accepts " + CdiSpecChecks.PODMAN_43_VERSIONS)
                .filteredOn(p -> !p.startsWith("cdiVersion")).allMatch(p -> p.contains("field 'additionalGids' is unknown"));
    }

    @Test
    void aWorldReadWritableNodeOrOneOfGroupRootNeedsNoAdditionalGid() throws Exception {
        assumeRoot();
        JsonNode open = generate("0666", "44");
        assertThat(open.path("cdiVersion").asText()).isEqualTo("0.5.0");
        assertThat(open.toString()).contains("\"gid\":44").doesNotContain("additionalGids");
        JsonNode rootGroup = generate("0660", "0");
        assertThat(rootGroup.path("cdiVersion").asText()).isEqualTo("0.5.0");
        assertThat(rootGroup.toString()).doesNotContain("\"gid\"", "additionalGids");
        assertThat(rootGroup.path("devices").get(0).path("containerEdits").path("deviceNodes").get(0).path("fileMode").asInt())
                .isEqualTo(0660);
    }

    @Test
    void theKataRulesRefuseWhatTheCrateRefuses() throws Exception {
        String ok = "{\"cdiVersion\":\"0.5.0\",\"kind\":\"nvidia.com/gpu\",\"devices\":[{\"name\":\"0\","
                + "\"containerEdits\":{\"deviceNodes\":[{\"path\":\"/dev/nvidia0\",\"major\":195,\"fileMode\":432}]}}],"
                + "\"containerEdits\":{\"env\":[\"A=1\"]}}";
        assertThat(KataCdiRules.problems(SharedCdi.parse(ok))).isEmpty();
        ObjectNode older = (ObjectNode) SharedCdi.parse(ok);
        older.put("cdiVersion", "0.3.0");
        assertThat(KataCdiRules.problems(older)).containsExactly("cdiVersion 0.3.0 is less than the 0.5.0 the content needs");
        ObjectNode gids = (ObjectNode) SharedCdi.parse(ok);
        ((ObjectNode) gids.path("containerEdits")).putArray("additionalGids").add(44);
        assertThat(KataCdiRules.problems(gids)).containsExactly("cdiVersion 0.5.0 is less than the 0.7.0 the content needs");
        gids.put("cdiVersion", "0.7.0");
        assertThat(KataCdiRules.problems(gids)).isEmpty();
        ObjectNode unknown = (ObjectNode) SharedCdi.parse(ok);
        ((ObjectNode) unknown.path("devices").get(0).path("containerEdits").path("deviceNodes").get(0)).put("owner", 0);
        assertThat(KataCdiRules.problems(unknown)).containsExactly("$.devices[0].containerEdits.deviceNodes: unknown field 'owner'");
        ObjectNode badMode = (ObjectNode) SharedCdi.parse(ok);
        ((ObjectNode) badMode.path("devices").get(0).path("containerEdits").path("deviceNodes").get(0)).put("fileMode", -1);
        assertThat(KataCdiRules.problems(badMode)).hasSize(1).allMatch(p -> p.contains("fileMode -1"));
        ObjectNode noDevices = (ObjectNode) SharedCdi.parse(ok);
        noDevices.remove("devices");
        noDevices.put("cdiVersion", "0.9.0");
        assertThat(KataCdiRules.problems(noDevices)).containsExactly("$: missing field 'devices'", "invalid version 0.9.0");
    }

    @Test
    void majorAndMinorAreDecodedFromLinuxDevT() {
        for (long[] mm : new long[][] {{195, 0}, {195, 255}, {511, 1048575}, {4095, 256}, {4096, 0xfffff}, {0, 0}}) {
            long rdev = ((mm[0] & 0xfffff000L) << 32) | ((mm[0] & 0xfffL) << 8)
                    | ((mm[1] & 0xffffff00L) << 12) | (mm[1] & 0xffL);
            assertThat(DeviceNodes.major(rdev)).isEqualTo(mm[0]);
            assertThat(DeviceNodes.minor(rdev)).isEqualTo(mm[1]);
        }
    }

    private static <T> List<T> list(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
