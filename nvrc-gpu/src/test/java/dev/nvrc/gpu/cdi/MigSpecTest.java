package dev.nvrc.gpu.cdi;

import static dev.nvrc.gpu.cdi.CdiFixture.Machines.MIG_GPU;
import static dev.nvrc.gpu.cdi.CdiFixture.migMinor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MIG as nvidia-ctk has it: a GPU in MIG mode is offered only as its MIG devices
 * ({@code <gpu>:<mig>}, after every whole GPU), each with the GPU's node and its GPU instance's and
 * compute instance's capability nodes; no capability in the common edits.
 */
class MigSpecTest {
    private static final String CAPS = "/proc/driver/nvidia/capabilities/gpu" + MIG_GPU + "/mig";

    @TempDir
    java.nio.file.Path root;

    private static CdiSpec generate(NvrcPaths paths) throws BootFailure {
        return CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)));
    }

    private static List<String> nodes(ContainerEdits edits) {
        return edits.deviceNodes().stream().map(DeviceNode::path).collect(Collectors.toList());
    }

    @Test
    void theMigGpuIsOfferedOnlyAsItsTwoInstancesAfterTheWholeGpus() throws Exception {
        CdiSpec spec = generate(CdiFixture.Machines.hgxWithMig(root).build());

        List<String> names = spec.devices().stream().map(CdiDevice::name).collect(Collectors.toList());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (i != MIG_GPU) {
                expected.add(Integer.toString(i));
                expected.add(String.format("GPU-%08x-1111-2222-3333-%012x", 0xa0b0c0d0L + i, 0x10de2330L * (i + 1)));
            }
        }
        expected.addAll(List.of("2:0", "2:1", "all"));
        assertThat(names).isEqualTo(expected);

        assertThat(nodes(spec.device("2:0").orElseThrow().containerEdits())).containsExactly("/dev/nvidia2",
                "/dev/nvidia-caps/nvidia-cap" + migMinor(2, 1, -1), "/dev/nvidia-caps/nvidia-cap" + migMinor(2, 1, 0));
        assertThat(nodes(spec.device("2:1").orElseThrow().containerEdits())).containsExactly("/dev/nvidia2",
                "/dev/nvidia-caps/nvidia-cap291", "/dev/nvidia-caps/nvidia-cap292");
        assertThat(spec.device("2:0").orElseThrow().containerEdits().hooks()).as("no DRM for MIG").isEmpty();
    }

    @Test
    void noCapabilityIsSharedAndAllHasEachInstanceButNotConfigOrMonitor() throws Exception {
        CdiSpec spec = generate(CdiFixture.Machines.hgxWithMig(root).build());

        assertThat(nodes(spec.containerEdits())).noneMatch(n -> n.startsWith("/dev/nvidia-caps/"));
        List<String> all = nodes(spec.device("all").orElseThrow().containerEdits());
        assertThat(all).contains("/dev/nvidia-caps/nvidia-cap282", "/dev/nvidia-caps/nvidia-cap283",
                "/dev/nvidia-caps/nvidia-cap291", "/dev/nvidia-caps/nvidia-cap292")
                .doesNotContain("/dev/nvidia-caps/nvidia-cap1", "/dev/nvidia-caps/nvidia-cap2")
                .doesNotHaveDuplicates();
        assertThat(all.stream().filter(n -> n.equals("/dev/nvidia2"))).hasSize(1);
        assertThat(all).containsSubsequence("/dev/nvidia7", "/dev/nvidia2", "/dev/nvidia-caps/nvidia-cap282");
    }

    @Test
    void theMigSpecIsValidByTheSchema() throws Exception {
        String json = CdiSpecGenerator.toJson(generate(CdiFixture.Machines.hgxWithMig(root).build()));
        assertThat(SharedCdi.schemaErrors(json)).isEmpty();
        assertThat(CdiSpecChecks.problems(SharedCdi.parse(json))).isEmpty();
        assertThat(SharedCdi.parse(json).get("cdiVersion").asText()).isEqualTo("0.5.0");
    }

    @Test
    void aGpuInstanceWithoutComputeInstanceGivesNoDeviceAndNotTheWholeGpu() throws Exception {
        CdiFixture f = CdiFixture.Machines.hgxWithMig(root);
        NvrcPaths paths = f.build();
        deleteTree(paths.resolve(CAPS + "/gi2/ci0"));

        CdiSpec spec = generate(paths);

        assertThat(spec.devices()).extracting(CdiDevice::name).contains("2:0").doesNotContain("2:1", "2");
    }

    @Test
    void instancesAreNumberedByGpuInstanceThenComputeInstance() throws Exception {
        CdiFixture f = CdiFixture.Machines.hgxWithMig(root);
        // A third instance with a lower GPU instance id than the others, and a second CI in gi1.
        f.migCapability(CAPS + "/gi0/access", migMinor(2, 0, -1)).migCapability(CAPS + "/gi0/ci0/access", migMinor(2, 0, 0))
                .migCapability(CAPS + "/gi1/ci3/access", migMinor(2, 1, 3))
                .node(MigMinors.nodePath(migMinor(2, 0, -1))).node(MigMinors.nodePath(migMinor(2, 0, 0)))
                .node(MigMinors.nodePath(migMinor(2, 1, 3)));
        CdiSpec spec = generate(f.build());

        assertThat(nodes(spec.device("2:0").orElseThrow().containerEdits())).last().isEqualTo(
                MigMinors.nodePath(migMinor(2, 0, 0)));
        assertThat(nodes(spec.device("2:1").orElseThrow().containerEdits())).last().isEqualTo(
                MigMinors.nodePath(migMinor(2, 1, 0)));
        assertThat(nodes(spec.device("2:2").orElseThrow().containerEdits())).last().isEqualTo(
                MigMinors.nodePath(migMinor(2, 1, 3)));
        assertThat(nodes(spec.device("2:3").orElseThrow().containerEdits())).last().isEqualTo(
                MigMinors.nodePath(migMinor(2, 2, 0)));
    }

    @Test
    void aMissingCapabilityNodeFailsNamingTheInstance() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.hgxWithMig(root).build();
        Files.delete(paths.resolve("/dev/nvidia-caps/nvidia-cap292"));
        assertThatThrownBy(() -> generate(paths)).isInstanceOf(BootFailure.class)
                .hasMessage("device node /dev/nvidia-caps/nvidia-cap292 of MIG device 2:1 (gpu2/gi2/ci0) of GPU"
                        + " 0000:3a:00.0 (/proc/driver/nvidia/gpus/0000:3a:00.0/information) does not exist");
    }

    @Test
    void anAccessFileThatDisagreesWithMigMinorsFails() throws Exception {
        CdiFixture f = CdiFixture.Machines.hgxWithMig(root);
        f.migCapability(CAPS + "/gi1/ci0/access", 999);
        assertThatThrownBy(() -> generate(f.build())).isInstanceOf(BootFailure.class)
                .hasMessage(CAPS + "/gi1/ci0/access: DeviceFileMinor is 999 but /proc/driver/nvidia-caps/mig-minors"
                        + " lists gpu2/gi1/ci0/access as 283");
    }

    @Test
    void instancesWithoutMigMinorsFail() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.hgxWithMig(root).build();
        Files.delete(paths.resolve(MigMinors.FILE));
        assertThatThrownBy(() -> generate(paths)).isInstanceOf(BootFailure.class)
                .hasMessage(CAPS + " has MIG instances but /proc/driver/nvidia-caps/mig-minors does not exist:"
                        + " cannot tell the minors of their capability nodes");
    }

    @Test
    void migMinorsLinesAreCheckedAndLookedUp() throws Exception {
        MigMinors minors = MigMinors.parse("config 1\nmonitor 2\ngpu0/gi0/access 3\ngpu0/gi0/ci0/access 4\n");
        assertThat(minors.minor("gpu0/gi0/ci0/access")).contains(4);
        assertThat(minors.minor("gpu1/gi0/access")).isEmpty();
        for (String bad : List.of("config  1", "config 1 2", "gpu0/gi0/access x", "config", "monitor -2")) {
            assertThatThrownBy(() -> MigMinors.parse("config 1\n" + bad + "\n")).as(bad)
                    .isInstanceOf(BootFailure.class).hasMessageStartingWith(MigMinors.FILE + " line 2: ");
        }
        assertThatThrownBy(() -> MigMinors.parse("config 1\nconfig 1\n")).isInstanceOf(BootFailure.class)
                .hasMessage(MigMinors.FILE + " line 2: config is listed twice");
    }

    @Test
    void onlyCapabilitiesWithoutComputeInstancesEverywhereIsRefused() throws Exception {
        CdiFixture f = CdiFixture.at(root).driverVersion(CdiFixture.VERSION)
                .gpu("0000:41:00.0", CdiFixture.Machines.UUID_0, 0).node("/dev/nvidiactl")
                .libraries(CdiFixture.VERSION, List.of("libcuda")).migMinors()
                .migCapability("/proc/driver/nvidia/capabilities/gpu0/mig/gi1/access", migMinor(0, 1, -1));
        assertThatThrownBy(() -> generate(f.build())).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("no device to offer: every GPU is in MIG mode");
    }

    private static void deleteTree(java.nio.file.Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            for (java.nio.file.Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
