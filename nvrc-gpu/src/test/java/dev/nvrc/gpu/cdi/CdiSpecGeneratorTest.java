package dev.nvrc.gpu.cdi;

import static dev.nvrc.gpu.cdi.CdiFixture.Machines.UUID_0;
import static dev.nvrc.gpu.cdi.CdiFixture.Machines.UUID_1;
import static dev.nvrc.gpu.cdi.CdiFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;


import com.fasterxml.jackson.databind.JsonNode;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the spec holds for a given machine, and which machines are refused with which message. */
class CdiSpecGeneratorTest {
    @TempDir
    Path root;

    private static CdiSpec generate(NvrcPaths paths) throws BootFailure {
        return CdiSpecGenerator.generate(paths, CdiSteps.options(GuestLayout.detect(paths)));
    }

    private static List<String> nodePaths(ContainerEdits edits) {
        return edits.deviceNodes().stream().map(DeviceNode::path).collect(Collectors.toList());
    }

    private static List<String> mountTargets(CdiSpec spec) {
        return spec.containerEdits().mounts().stream().map(Mount::containerPath).collect(Collectors.toList());
    }

    /** A minimal working machine: one GPU, the control node and libcuda; add to it, then build(). */
    private CdiFixture minimal() {
        return CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0).node("/dev/nvidiactl")
                .libraries(VERSION, List.of("libcuda"));
    }

    @Test
    void devicesAreNamedByIndexInPciOrderNotByMinorOrUuid() throws Exception {
        NvrcPaths paths = CdiFixture.at(root).driverVersion(VERSION)
                .gpu("0000:c1:00.0", UUID_0, 0)
                .gpu("0000:41:00.0", UUID_1, 1)
                .node("/dev/nvidiactl").libraries(VERSION, List.of("libcuda")).build();
        CdiSpec spec = generate(paths);
        assertThat(spec.devices()).extracting(CdiDevice::name).containsExactly("0", UUID_1, "1", UUID_0, "all");
        assertThat(nodePaths(spec.device("0").orElseThrow().containerEdits())).containsExactly("/dev/nvidia1");
        assertThat(nodePaths(spec.device(UUID_0).orElseThrow().containerEdits())).containsExactly("/dev/nvidia0");
        assertThat(nodePaths(spec.device("all").orElseThrow().containerEdits()))
                .containsExactly("/dev/nvidia1", "/dev/nvidia0");
    }

    @Test
    void excludedGpusAreLeftOutAndTheOthersKeepConsecutiveIndexes() throws Exception {
        NvrcPaths paths = minimal()
                .text("/proc/driver/nvidia/gpus/0000:21:00.0/information",
                        CdiFixture.information("0000:21:00.0", UUID_1, "1").replace("GPU Excluded:\t No", "GPU Excluded:\t Yes"))
                .build();
        CdiSpec spec = generate(paths);
        assertThat(spec.devices()).extracting(CdiDevice::name).containsExactly("0", UUID_0, "all");
    }

    @Test
    void openKernelModuleVersionLineIsUnderstood() throws Exception {
        NvrcPaths paths = minimal().text("/proc/driver/nvidia/version",
                "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  " + VERSION
                        + "  Release Build  (dvs-builder@U22-I3-AF03-09-1)  Sat Jun 21 09:42:12 UTC 2025\n").build();
        assertThat(generate(paths).containerEdits().mounts()).extracting(Mount::containerPath)
                .containsExactly(CdiFixture.LIB_DIR + "/libcuda.so." + VERSION);
    }

    @Test
    void sharedNodesThatDoNotExistAreLeftOutAndMigCapabilitiesAreNeverShared() throws Exception {
        // nvidia-cap1 and 2 are MIG config and monitor: whoever has them may reconfigure MIG.
        NvrcPaths paths = minimal().node("/dev/nvidia-uvm")
                .node("/dev/nvidia-caps/nvidia-cap2").node("/dev/nvidia-caps/nvidia-cap1").build();
        CdiSpec spec = generate(paths);
        assertThat(nodePaths(spec.containerEdits())).containsExactly("/dev/nvidia-uvm", "/dev/nvidiactl");
        assertThat(spec.devices()).allSatisfy(d -> assertThat(nodePaths(d.containerEdits()))
                .noneMatch(n -> n.startsWith("/dev/nvidia-caps/")));
    }

    @Test
    void legacyNvvmVdpauAndTheMpsPipeDirectoryAreMountedAsNvidiaCtkDoes() throws Exception {
        NvrcPaths paths = minimal().driverFile(CdiFixture.LIB_DIR + "/libnvidia-nvvm70.so.4", "nvvm70")
                .driverFile(CdiFixture.LIB_DIR + "/vdpau/libvdpau_nvidia.so." + VERSION, "vdpau")
                .driverFile(CdiFixture.LIB_DIR + "/vdpau/libvdpau_other.so.1", "not the driver's")
                .dir("/tmp/nvidia-mps").build();
        CdiSpec spec = generate(paths);
        assertThat(spec.containerEdits().mounts()).extracting(Mount::containerPath, Mount::options).containsExactly(
                tuple(CdiFixture.LIB_DIR + "/libcuda.so." + VERSION, Mount.FILE_OPTIONS),
                tuple(CdiFixture.LIB_DIR + "/vdpau/libvdpau_nvidia.so." + VERSION, Mount.FILE_OPTIONS),
                tuple(CdiFixture.LIB_DIR + "/libnvidia-nvvm70.so.4", Mount.FILE_OPTIONS),
                tuple("/tmp/nvidia-mps", Mount.SOCKET_OPTIONS));
    }

    @Test
    void theGbmBackendLinkIsMadeOnlyWhenTheAllocatorLibraryIsInstalled() throws Exception {
        NvrcPaths without = minimal().cdiHook().build();
        assertThat(generate(without).containerEdits().hooks()).extracting(h -> h.args().get(h.args().size() - 1))
                .doesNotContain("../libnvidia-allocator.so.1::" + CdiFixture.LIB_DIR + "/gbm/nvidia-drm_gbm.so");
        NvrcPaths with = CdiFixture.at(root.resolve("with")).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0)
                .node("/dev/nvidiactl").libraries(VERSION, List.of("libcuda", "libnvidia-allocator")).cdiHook().build();
        assertThat(generate(with).containerEdits().hooks().get(0).args()).containsExactly("nvidia-cdi-hook",
                "create-symlinks", "--link", "../libnvidia-allocator.so.1::" + CdiFixture.LIB_DIR + "/gbm/nvidia-drm_gbm.so");
    }

    @Test
    void withoutTheHookProgramThereAreNoHooksEvenWithDrmNodes() throws Exception {
        NvrcPaths paths = minimal().dri("0000:41:00.0", 1, 128).build();
        CdiSpec spec = generate(paths);
        assertThat(nodePaths(spec.device("0").orElseThrow().containerEdits()))
                .containsExactly("/dev/nvidia0", "/dev/dri/card1", "/dev/dri/renderD128");
        assertThat(spec.devices()).allSatisfy(d -> assertThat(d.containerEdits().hooks()).isEmpty());
        assertThat(spec.containerEdits().hooks()).isEmpty();
    }

    @Test
    void withTheHookProgramButNoDrmNodesOnlyTheSharedHooksAreWritten() throws Exception {
        NvrcPaths paths = minimal().cdiHook().build();
        CdiSpec spec = generate(paths);
        assertThat(spec.device("0").orElseThrow().containerEdits().hooks()).isEmpty();
        assertThat(spec.containerEdits().hooks()).extracting(h -> h.args().get(1))
                .containsExactly("create-symlinks", "enable-cuda-compat", "update-ldcache",
                        "disable-device-node-modification", "update-application-profile");
    }

    @Test
    void theHookIsAlsoFoundInBinAndAnExplicitHookPathIsUsedOnlyWhenItExists() throws Exception {
        NvrcPaths paths = minimal().program("/bin/nvidia-cdi-hook").program("/opt/hook/nvidia-cdi-hook").build();
        assertThat(generate(paths).containerEdits().hooks()).extracting(Hook::path).containsOnly("/bin/nvidia-cdi-hook");
        CdiSpec explicit = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withCdiHookPath("/opt/hook/nvidia-cdi-hook"));
        assertThat(explicit.containerEdits().hooks()).extracting(Hook::path).containsOnly("/opt/hook/nvidia-cdi-hook");
        assertThat(explicit.containerEdits().hooks().get(0).args().get(0)).isEqualTo("nvidia-cdi-hook");
        CdiSpec missing = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withCdiHookPath("/nowhere/nvidia-cdi-hook"));
        assertThat(missing.containerEdits().hooks()).isEmpty();
    }

    @Test
    void programsMustBeExecutableAndSocketsAreFoundUnderVarRunToo() throws Exception {
        NvrcPaths paths = minimal().driverFile("/usr/bin/nvidia-smi", "not executable")
                .program("/sbin/nvidia-persistenced")
                .socket("/var/run/nvidia-fabricmanager/socket").build();
        CdiSpec spec = generate(paths);
        assertThat(mountTargets(spec)).containsExactly(CdiFixture.LIB_DIR + "/libcuda.so." + VERSION,
                "/var/run/nvidia-fabricmanager/socket", "/sbin/nvidia-persistenced");
        assertThat(spec.containerEdits().mounts().get(1).options()).isEqualTo(Mount.SOCKET_OPTIONS);
    }

    @Test
    void librariesOfOtherPackagesAndSonameFilesAreNotMounted() throws Exception {
        NvrcPaths paths = minimal().libraries(VERSION, List.of("libnvidia-ml"))
                .driverFile(CdiFixture.LIB_DIR + "/libnvidia-ml.so.1", "soname")
                .driverFile(CdiFixture.LIB_DIR + "/libnvidia-egl-wayland.so.1.1.17", "other package")
                .driverFile(CdiFixture.LIB_DIR + "/libfoo.so.570.172.099", "another version shape").build();
        assertThat(mountTargets(generate(paths))).containsExactly(
                CdiFixture.LIB_DIR + "/libcuda.so." + VERSION, CdiFixture.LIB_DIR + "/libnvidia-ml.so." + VERSION);
    }

    @Test
    void librariesAreLookedUpInTheOtherUsualDirectories() throws Exception {
        NvrcPaths paths = CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0)
                .node("/dev/nvidiactl").driverFile("/usr/lib64/libcuda.so." + VERSION, "x").cdiHook().build();
        CdiSpec spec = generate(paths);
        assertThat(mountTargets(spec)).containsExactly("/usr/lib64/libcuda.so." + VERSION);
        assertThat(spec.containerEdits().hooks().get(0).args())
                .containsExactly("nvidia-cdi-hook", "create-symlinks", "--link", "libcuda.so.1::/usr/lib64/libcuda.so");
        assertThat(spec.containerEdits().hooks().get(2).args())
                .containsExactly("nvidia-cdi-hook", "update-ldcache", "--folder", "/usr/lib64");
        assertThat(spec.containerEdits().hooks()).extracting(h -> h.args().get(1)).doesNotContain("vdpau");
    }

    @Test
    void aDevRootGivesNodesAHostPathAndNeeds050() throws Exception {
        NvrcPaths paths = minimal().devRoot("/host").node("/dev/nvidia0").node("/dev/nvidiactl").build();
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withDevRoot("/host/"));
        assertThat(spec.device("0").orElseThrow().containerEdits().deviceNodes())
                .extracting(DeviceNode::path, DeviceNode::hostPath).containsExactly(tuple("/dev/nvidia0", "/host/dev/nvidia0"));
        assertThat(spec.cdiVersion()).isEqualTo("0.5.0");
    }

    @Test
    void aDriverRootIsKeptInHostPathsAndDroppedFromContainerPaths() throws Exception {
        NvrcPaths paths = CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0)
                .node("/dev/nvidiactl").driverRoot("/drivers/570").libraries(VERSION, List.of("libcuda"))
                .program("/usr/bin/nvidia-smi").cdiHook().build();
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withDriverRoot("/drivers/570"));
        assertThat(spec.containerEdits().mounts()).extracting(Mount::hostPath, Mount::containerPath).containsExactly(
                tuple("/drivers/570/usr/lib/x86_64-linux-gnu/libcuda.so." + VERSION,
                        "/usr/lib/x86_64-linux-gnu/libcuda.so." + VERSION),
                tuple("/drivers/570/usr/bin/nvidia-smi", "/usr/bin/nvidia-smi"));
        assertThat(spec.containerEdits().hooks()).extracting(Hook::path).containsOnly("/drivers/570/usr/bin/nvidia-cdi-hook");
        assertThat(spec.device("0").orElseThrow().containerEdits().deviceNodes())
                .extracting(DeviceNode::path, DeviceNode::hostPath).containsExactly(tuple("/dev/nvidia0", null));
    }

    @Test
    void anArm64GuestsLibrariesComeFromItsOwnMultiarchDirectoryAndNoOtherArchitecturesIsTried() throws Exception {
        String arm = "/usr/lib/aarch64-linux-gnu";
        NvrcPaths paths = CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0).node("/dev/nvidiactl")
                .driverFile(arm + "/libcuda.so." + VERSION, "libcuda").driverFile(arm + "/libnvidia-ml.so." + VERSION, "ml")
                .cdiHook().build();
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withArchitecture("aarch64"));
        assertThat(mountTargets(spec)).containsExactly(arm + "/libcuda.so." + VERSION, arm + "/libnvidia-ml.so." + VERSION);
        assertThat(spec.containerEdits().hooks()).flatExtracting(Hook::args)
                .contains("libcuda.so.1::" + arm + "/libcuda.so", "--folder", arm);
        assertThatThrownBy(() -> CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withArchitecture("x86_64")))
                .isInstanceOf(BootFailure.class).hasMessage("no driver libraries: libcuda.so." + VERSION + " is in none of"
                        + " [/usr/lib/x86_64-linux-gnu, /lib/x86_64-linux-gnu, /usr/lib64, /lib64, /usr/lib, /lib]");
    }

    @Test
    void deviceNodesCarryTheFieldsNvidiaCtkReadsFromTheLiveNodeAndNeverTheOwner() throws Exception {
        NvrcPaths paths = CdiFixture.Machines.hgx(root).build();
        JsonNode json = SharedCdi.parse(CdiSpecGenerator.toJson(generate(paths)));
        List<String> fields = new ArrayList<>();
        json.findValues("deviceNodes").forEach(nodes -> nodes.forEach(n -> n.fieldNames().forEachRemaining(fields::add)));
        // The fixture's nodes are 0:0 (omitted, as Go's omitempty does), mode 0666; a group is
        // written only when it is not 0, the owner never.
        assertThat(fields).hasSizeGreaterThan(120).contains("path", "fileMode", "permissions")
                .doesNotContain("uid", "type", "major", "minor");
        json.findValues("deviceNodes").forEach(nodes -> nodes.forEach(n -> {
            assertThat(n.path("fileMode").asInt()).isEqualTo(0666);
            assertThat(n.path("permissions").asText()).isEqualTo("rwm");
        }));
    }

    // ---- refused machines -------------------------------------------------------------------

    private void assertRefused(CdiFixture fixture, String... messageParts) {
        NvrcPaths paths = fixture.build();
        assertThatThrownBy(() -> generate(paths)).isInstanceOf(BootFailure.class).message().contains(messageParts);
    }

    @Test
    void noDriverVersionFile() throws Exception {
        minimal().build();
        Files.delete(root.resolve("proc/driver/nvidia/version"));
        assertRefused(CdiFixture.at(root), "/proc/driver/nvidia/version does not exist", "nvidia module loaded");
    }

    @Test
    void versionFileWithoutVersion() {
        assertRefused(minimal().text("/proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX Kernel Module\n"),
                "/proc/driver/nvidia/version: no version number in 'NVRM version: NVIDIA UNIX Kernel Module'");
        assertRefused(minimal().text("/proc/driver/nvidia/version", "garbage\n"),
                "/proc/driver/nvidia/version: no 'NVRM version:' line");
    }

    @Test
    void noGpuDirectory() {
        assertRefused(CdiFixture.at(root).driverVersion(VERSION),
                "/proc/driver/nvidia/gpus does not exist: the nvidia driver lists no GPUs");
    }

    @Test
    void emptyGpuDirectoryOrOnlyExcludedGpus() {
        assertRefused(CdiFixture.at(root).driverVersion(VERSION).dir("/proc/driver/nvidia/gpus"),
                "/proc/driver/nvidia/gpus lists no usable GPU");
    }

    @Test
    void gpuDirectoryWithoutInformationFile() {
        assertRefused(minimal().dir("/proc/driver/nvidia/gpus/0000:42:00.0"),
                "/proc/driver/nvidia/gpus/0000:42:00.0/information does not exist");
    }

    @Test
    void entryThatIsNotAPciAddress() {
        assertRefused(minimal().dir("/proc/driver/nvidia/gpus/gpu0"),
                "/proc/driver/nvidia/gpus/gpu0: expected directories named by PCI address");
    }

    @Test
    void informationWithoutUuid() {
        String file = "/proc/driver/nvidia/gpus/0000:41:00.0/information";
        assertRefused(minimal().text(file, "Model: \t\t NVIDIA H100\nDevice Minor: \t 0\n"),
                file + ": no 'GPU UUID:' line", "Model", "Device Minor");
    }

    @Test
    void informationWithAnUnreadableUuid() {
        String file = "/proc/driver/nvidia/gpus/0000:41:00.0/information";
        assertRefused(minimal().text(file, CdiFixture.information("0000:41:00.0",
                        "GPU-????????-????-????-????-????????????", "0")),
                file + ": 'GPU UUID' is 'GPU-????????-????-????-????-????????????'");
    }

    @Test
    void informationWithABadMinor() {
        String file = "/proc/driver/nvidia/gpus/0000:41:00.0/information";
        assertRefused(minimal().text(file, CdiFixture.information("0000:41:00.0", UUID_0, "255")),
                file + ": 'Device Minor' is '255', expected a number from 0 to 254");
        assertRefused(minimal().text(file, CdiFixture.information("0000:41:00.0", UUID_0, "zero")),
                "'Device Minor' is 'zero'");
        assertRefused(minimal().text(file, CdiFixture.information("0000:41:00.0", UUID_0, "").replace("Device Minor", "Minor")),
                file + ": no 'Device Minor:' line");
    }

    @Test
    void informationNamingAnotherBusLocation() {
        String file = "/proc/driver/nvidia/gpus/0000:41:00.0/information";
        assertRefused(minimal().text(file, CdiFixture.information("0000:42:00.0", UUID_0, "0")),
                file + ": 'Bus Location' is 0000:42:00.0, not 0000:41:00.0");
    }

    @Test
    void gpuTheDriverListsButSysfsDoesNot() {
        assertRefused(minimal().driverOnlyGpu("0000:c1:00.0", UUID_1, 1).node("/dev/nvidia1"),
                "the driver lists GPU 0000:c1:00.0", "/sys/bus/pci/devices/0000:c1:00.0 does not exist");
    }

    @Test
    void twoGpusWithTheSameUuidInAnyCase() {
        assertRefused(minimal().gpu("0000:c1:00.0", "GPU-" + UUID_0.substring(4).toUpperCase(Locale.ROOT), 1),
                "/proc/driver/nvidia/gpus/0000:c1:00.0/information", "is also the UUID of GPU 0000:41:00.0");
    }

    @Test
    void twoGpusWithTheSameMinor() {
        assertRefused(minimal().gpu("0000:c2:00.0", UUID_1, 0),
                "/proc/driver/nvidia/gpus/0000:c2:00.0/information: device minor 0 is also the minor of GPU 0000:41:00.0");
    }

    @Test
    void gpuWithoutItsDeviceNode() throws Exception {
        NvrcPaths paths = CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 3)
                .node("/dev/nvidia0").node("/dev/nvidiactl").libraries(VERSION, List.of("libcuda")).build();
        Files.delete(root.resolve("dev/nvidia3"));
        assertThatThrownBy(() -> generate(paths)).isInstanceOf(BootFailure.class).hasMessage(
                "device node /dev/nvidia3 of GPU 0000:41:00.0 (/proc/driver/nvidia/gpus/0000:41:00.0/information) "
                        + "does not exist");
    }

    @Test
    void deviceNodeThatIsALinkAFileOrADirectory() throws Exception {
        NvrcPaths paths = CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 1)
                .node("/dev/nvidiactl").libraries(VERSION, List.of("libcuda")).build();
        Path node = root.resolve("dev/nvidia1");
        Files.delete(node);
        Files.createSymbolicLink(node, Path.of("/dev/null"));
        assertThatThrownBy(() -> generate(paths)).hasMessageContaining("/dev/nvidia1 is a symbolic link, expected a character device");
        Files.delete(node);
        Files.writeString(node, "");
        assertThatThrownBy(() -> generate(paths)).hasMessageContaining("/dev/nvidia1 is a regular file");
        Files.delete(node);
        Files.createDirectory(node);
        assertThatThrownBy(() -> generate(paths)).hasMessageContaining("/dev/nvidia1 is a directory");
    }

    @Test
    void drmNodeSysfsShowsButDevDoesNotHave() throws Exception {
        NvrcPaths paths = minimal().dri("0000:41:00.0", 1, 128).build();
        Files.delete(root.resolve("dev/dri/renderD128"));
        assertThatThrownBy(() -> generate(paths)).isInstanceOf(BootFailure.class)
                .hasMessageContaining("device node /dev/dri/renderD128 of GPU 0000:41:00.0")
                .hasMessageContaining("/sys/bus/pci/devices/0000:41:00.0/drm");
    }

    @Test
    void noControlNode() {
        assertRefused(CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0)
                        .libraries(VERSION, List.of("libcuda")),
                "device node /dev/nvidiactl of the nvidia driver does not exist");
    }

    @Test
    void noDriverLibraries() {
        assertRefused(CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0).node("/dev/nvidiactl")
                        .libraries(VERSION, List.of("libnvidia-ml")),
                "no driver libraries: libcuda.so." + VERSION + " is in none of [/usr/lib/x86_64-linux-gnu");
    }

    @Test
    void librariesOfTwoDriverVersions() {
        assertRefused(minimal().libraries("550.54.15", List.of("libnvidia-ml")),
                "two driver versions: /usr/lib/x86_64-linux-gnu/libnvidia-ml.so.550.54.15 is version 550.54.15",
                "but the loaded driver (/proc/driver/nvidia/version) is " + VERSION);
    }

    @Test
    void librariesOfAnotherVersionThanTheLoadedDriver() {
        assertRefused(CdiFixture.at(root).driverVersion(VERSION).gpu("0000:41:00.0", UUID_0, 0).node("/dev/nvidiactl")
                        .libraries("575.57.08", List.of("libcuda", "libnvidia-ml")),
                "/usr/lib/x86_64-linux-gnu/libcuda.so.575.57.08 is version 575.57.08", "is " + VERSION);
    }

    @Test
    void danglingLibraryLink() throws Exception {
        NvrcPaths paths = minimal().build();
        Files.createSymbolicLink(root.resolve("usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + VERSION),
                Path.of("libnvidia-ml.so.gone"));
        assertThatThrownBy(() -> generate(paths))
                .hasMessageContaining("/usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + VERSION + " is not a regular file");
    }

    @Test
    void hookProgramThatIsNotExecutable() {
        assertRefused(minimal().driverFile("/usr/bin/nvidia-cdi-hook", "#!/bin/sh\n"),
                "/usr/bin/nvidia-cdi-hook is not executable");
    }
}
