package dev.nvrc.gpu.cdi;

import static dev.nvrc.gpu.cdi.CdiFixture.Machines.UUID_0;
import static dev.nvrc.gpu.cdi.CdiFixture.Machines.UUID_1;
import static dev.nvrc.gpu.cdi.CdiFixture.VERSION;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real container runtime takes the generated spec: podman (with runc) runs a busybox container
 * with {@code --device nvidia.com/gpu=0}, {@code =GPU-<uuid>} and {@code =all}, and the container
 * sees the device nodes, the environment and the driver files the spec names, while the hooks are
 * called with the spec's arguments. A spec podman must refuse is refused, so these tests can fail.
 *
 * <p>The machine is a fixture whose driver files and device nodes live under the guest directory
 * {@value #HOST}, given to the generator as driver root and dev root, so every host path in the
 * spec points into the fixture. {@code scripts/podman-cdi-check.sh} binds the fixture's
 * {@code /var/run/cdi} (spec and {@value #HOST}) over {@code /var/run/cdi} in a private mount
 * namespace: the spec's paths resolve there as they would in the guest. The device nodes are
 * harmless character devices (1:3 /dev/null, 1:5 /dev/zero, ...). The spec is written for an
 * {@code nvidia-cdi-hook} of a known toolkit release ({@link FakeCdiHook}); the runtime then runs a
 * script at that path that logs its arguments.
 *
 * <p>Needs root, podman, runc and busybox-static ({@code scripts/setup.sh}); skipped with the
 * reason otherwise, except under {@code CI=true}, where that is a failure.
 */
class PodmanConsumerTest {
    static final String HOST = "/var/run/cdi/host";
    private static final Path CHECK = Path.of("../scripts/podman-cdi-check.sh").toAbsolutePath().normalize();
    private static final String HOOK_LOG = HOST + "/hooks.log";
    private static final String LIBCUDA = CdiFixture.LIB_DIR + "/libcuda.so." + VERSION;
    private static final String SHOW = "for n in /dev/nvidia* /dev/dri/* /dev/nvidia-caps/*; do"
            + " [ -c \"$n\" ] && stat -c 'node %n %t:%T' \"$n\"; done;"
            + " env | grep ^NVIDIA_ | sed 's/^/env /';"
            + " echo \"lib $(cat " + LIBCUDA + ")\";"
            + " grep ' " + LIBCUDA + " ' /proc/mounts | sed 's/^/mount /';"
            + " true";

    @TempDir
    Path root;

    private NvrcPaths paths;
    private Path specDir;

    @BeforeAll
    static void needsPodman() {
        List<String> missing = new ArrayList<>();
        try {
            if (!Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
                missing.add("root (rootful podman, mount namespaces)");
            }
        } catch (IOException e) {
            missing.add("root (cannot read the uid: " + e + ")");
        }
        for (String tool : List.of("podman", "runc", "unshare", "flock", "mknod")) {
            if (!onPath(tool)) {
                missing.add(tool);
            }
        }
        if (!Files.isExecutable(Path.of("/bin/busybox"))) {
            missing.add("/bin/busybox (busybox-static)");
        }
        if (!Files.isExecutable(CHECK)) {
            missing.add(CHECK.toString());
        }
        if (!missing.isEmpty()) {
            String reason = "podman consumer test needs " + String.join(", ", missing) + " (see scripts/setup.sh)";
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true and " + reason);
            }
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }

    @BeforeEach
    void machine() throws Exception {
        CdiFixture f = CdiFixture.at(root).driverVersion(VERSION)
                .gpu("0000:41:00.0", UUID_0, 0)
                .gpu("0000:c1:00.0", UUID_1, 1);
        f.devRoot(HOST).driverRoot(HOST)
                .node("/dev/nvidia0", "1 3").node("/dev/nvidia1", "1 5")
                .dri("0000:41:00.0", 1, 128).dri("0000:c1:00.0", 2, 129)
                .node("/dev/nvidiactl", "1 7").node("/dev/nvidia-uvm", "1 8").node("/dev/nvidia-uvm-tools", "1 9")
                .node("/dev/nvidia-caps/nvidia-cap1", "1 3")
                .libraries(VERSION, List.of("libcuda", "libnvidia-ml"))
                .program("/usr/bin/nvidia-smi")
                .socket("/run/nvidia-persistenced/socket")
                .driverFile("/lib/firmware/nvidia/" + VERSION + "/gsp_ga10x.bin", "fw")
                .cdiHook("/usr/bin/nvidia-cdi-hook", FakeCdiHook.release(CdiFixture.HOOK_RELEASE));
        // DRM nodes were made 0:0 (not allowed in a container's device cgroup); make them 1:3 too.
        paths = f.build();
        for (String dri : List.of("card1", "card2", "renderD128", "renderD129")) {
            Path node = f.resolve(HOST + "/dev/dri/" + dri);
            Files.delete(node);
            run(List.of("mknod", node.toString(), "c", "1", "3"), 10);
        }
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withDriverRoot(HOST).withDevRoot(HOST));
        CdiSpecGenerator.writeAtomically(spec, paths.resolve(CdiSpecGenerator.SPEC_PATH));
        specDir = paths.resolve("/var/run/cdi");
        // The spec was written for a v1.20.0 hook (the fixture's program is only read); the
        // runtime runs this script in its place, which logs how it was called.
        Files.writeString(f.resolve(HOST + "/usr/bin/nvidia-cdi-hook"),
                "#!/bin/sh\ncat >/dev/null\necho \"$*\" >> " + HOOK_LOG + "\n");
    }

    @Test
    void deviceByIndexGetsItsNodesTheSharedEditsAndTheHooks() throws Exception {
        Result r = podman(false, "nvidia.com/gpu=0");
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.lines("node ")).containsExactlyInAnyOrder(
                "/dev/nvidia0 1:3", "/dev/dri/card1 1:3", "/dev/dri/renderD128 1:3",
                "/dev/nvidiactl 1:7", "/dev/nvidia-uvm 1:8", "/dev/nvidia-uvm-tools 1:9");
        // The MIG config capability exists on the machine but no container gets it.
        assertThat(r.lines("node ")).noneMatch(n -> n.startsWith("/dev/nvidia-caps/"));
        assertThat(r.lines("env ")).containsExactly("NVIDIA_VISIBLE_DEVICES=void");
        assertThat(r.lines("lib ")).containsExactly("libcuda " + VERSION);
        assertThat(r.lines("mount ")).singleElement().asString().contains(" ro,nosuid,nodev");
        // The runtime applies the spec's common edits first, then the device's.
        assertThat(Files.readAllLines(paths.resolve(HOOK_LOG))).containsExactly(
                "create-symlinks --link libcuda.so.1::" + CdiFixture.LIB_DIR + "/libcuda.so",
                "enable-cuda-compat --host-driver-version=" + VERSION,
                "update-ldcache --folder " + CdiFixture.LIB_DIR,
                "disable-device-node-modification",
                "update-application-profile",
                "create-symlinks --link ../card1::/dev/dri/by-path/pci-0000:41:00.0-card"
                        + " --link ../renderD128::/dev/dri/by-path/pci-0000:41:00.0-render");
    }

    /**
     * A spec written for the hook of each toolkit generation (read from the program's build
     * information, then the program replaced by the logging script at the same path) runs a
     * container, and the runtime calls exactly that generation's subcommands.
     */
    @ParameterizedTest
    @CsvSource({
        "1.17.4, create-symlinks update-ldcache",
        "1.17.8, create-symlinks enable-cuda-compat update-ldcache",
        "1.19.1, create-symlinks enable-cuda-compat update-ldcache disable-device-node-modification"})
    void theSpecOfEachHookGenerationRunsAContainerCallingOnlyItsSubcommands(String release, String subcommands)
            throws Exception {
        Path hook = paths.resolve(HOST + "/usr/bin/nvidia-cdi-hook");
        byte[] script = Files.readAllBytes(hook);
        Files.write(hook, FakeCdiHook.release(release));
        CdiSpec spec = CdiSpecGenerator.generate(paths, CdiSpecOptions.defaults().withDriverRoot(HOST).withDevRoot(HOST));
        CdiSpecGenerator.writeAtomically(spec, paths.resolve(CdiSpecGenerator.SPEC_PATH));
        Files.write(hook, script);
        Result r = podman(false, "nvidia.com/gpu=0");
        assertThat(r.status).as(r.output).isZero();
        List<String> called = new ArrayList<>();
        Files.readAllLines(paths.resolve(HOOK_LOG)).forEach(l -> called.add(l.split(" ")[0]));
        List<String> expected = new ArrayList<>(List.of(subcommands.split(" ")));
        expected.add("create-symlinks");
        assertThat(called).containsExactlyElementsOf(expected);
    }

    @Test
    void deviceByUuidGetsOnlyThatGpusNodes() throws Exception {
        Result r = podman(false, "nvidia.com/gpu=" + UUID_1);
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.lines("node ")).contains("/dev/nvidia1 1:5", "/dev/dri/card2 1:3", "/dev/dri/renderD129 1:3")
                .doesNotContain("/dev/nvidia0 1:3", "/dev/dri/card1 1:3");
        assertThat(r.lines("env ")).containsExactly("NVIDIA_VISIBLE_DEVICES=void");
    }

    @Test
    void deviceAllGetsEveryGpuAndEveryFile() throws Exception {
        Result r = podman(false, "nvidia.com/gpu=all");
        assertThat(r.status).as(r.output).isZero();
        assertThat(r.lines("node ")).containsExactlyInAnyOrder(
                "/dev/nvidia0 1:3", "/dev/nvidia1 1:5", "/dev/dri/card1 1:3", "/dev/dri/card2 1:3",
                "/dev/dri/renderD128 1:3", "/dev/dri/renderD129 1:3",
                "/dev/nvidiactl 1:7", "/dev/nvidia-uvm 1:8", "/dev/nvidia-uvm-tools 1:9");
        Result files = podman(false, "nvidia.com/gpu=all", List.of("sh", "-c", "cat /usr/lib/x86_64-linux-gnu/libnvidia-ml.so." + VERSION + "; echo; cat /lib/firmware/nvidia/"
                        + VERSION + "/gsp_ga10x.bin; echo; [ -x /usr/bin/nvidia-smi ] && echo smi; [ -S /run/nvidia-persistenced/socket ]"
                        + " && echo socket"));
        assertThat(files.status).as(files.output).isZero();
        assertThat(files.output.lines()).containsExactly("libnvidia-ml " + VERSION, "fw", "smi", "socket");
    }

    @Test
    void aSpecWithADuplicateDeviceIsRefusedWithPodmansReason() throws Exception {
        ObjectNode spec = (ObjectNode) SharedCdi.parse(Files.readString(specDir.resolve("nvidia.json")));
        ((ArrayNode) spec.get("devices")).add(spec.get("devices").get(0).deepCopy());
        Files.writeString(specDir.resolve("nvidia.json"), spec.toPrettyString());
        Result r = podman(true, "nvidia.com/gpu=0");
        assertThat(r.status).isNotZero();
        assertThat(r.output).contains("unresolvable CDI devices nvidia.com/gpu=0", "multiple device \\\"0\\\"");
    }

    @Test
    void aSpecNamingAMissingNodeIsRefused() throws Exception {
        Files.delete(paths.resolve(HOST + "/dev/nvidia-uvm-tools"));
        Result r = podman(false, "nvidia.com/gpu=0");
        assertThat(r.status).isEqualTo(127);
        assertThat(r.output).contains("failed to stat CDI host device \"" + HOST + "/dev/nvidia-uvm-tools\"");
    }

    @Test
    void aDeviceTheSpecDoesNotHaveIsRefused() throws Exception {
        Result r = podman(false, "nvidia.com/gpu=2");
        assertThat(r.status).isNotZero();
        assertThat(r.output).contains("unresolvable CDI devices nvidia.com/gpu=2");
    }

    private Result podman(boolean debug, String device) throws Exception {
        return podman(debug, device, List.of("sh", "-c", SHOW));
    }

    private Result podman(boolean debug, String device, List<String> command) throws Exception {
        Files.deleteIfExists(paths.resolve(HOOK_LOG));
        List<String> argv = new ArrayList<>(List.of(CHECK.toString()));
        if (debug) {
            argv.add("--debug");
        }
        argv.addAll(List.of(specDir.toString(), device, "--"));
        argv.addAll(command);
        return run(argv, 120);
    }

    private static Result run(List<String> argv, int timeoutSeconds) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + argv);
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/sbin", tool));
    }

    /** What podman-cdi-check printed and its exit status. */
    private static final class Result {
        final int status;
        final String output;

        Result(int status, String output) {
            this.status = status;
            this.output = output;
        }

        /** The lines starting with {@code prefix}, without it. */
        List<String> lines(String prefix) {
            List<String> list = new ArrayList<>();
            output.lines().filter(l -> l.startsWith(prefix)).forEach(l -> list.add(l.substring(prefix.length())));
            return list;
        }
    }
}
