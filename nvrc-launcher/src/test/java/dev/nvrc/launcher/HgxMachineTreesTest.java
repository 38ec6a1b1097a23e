package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nvrc plan} and {@code nvrc cdi} on machine trees laid out like real HGX systems, and
 * {@code scripts/gpu-check.sh} run on one of them.
 */
class HgxMachineTreesTest {
    private static final String VERSION = "570.172.08";

    @TempDir
    Path root;

    private JsonNode plan() throws Exception {
        CliTest.Result r = CliTest.run("plan", "--cmdline", "", "--root", root.toString(), "--json");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    private static JsonNode step(JsonNode plan, String name) {
        for (JsonNode s : plan) {
            if (s.get("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + plan);
    }

    /** HGX A100 8-GPU: GA100 GPUs with their NVSwitch-generation-2 switches (0x1af1), six of them. */
    @Test
    void hgxA100InFullPassthroughIsGpuModeWithFabricManagerInBareMetalMode() throws Exception {
        SysfsFixture fx = SysfsFixture.at(root);
        String[] gpuBuses = {"07", "0f", "47", "4e", "87", "90", "b7", "bd"};
        for (String bus : gpuBuses) {
            fx.a100Gpu("0000:" + bus + ":00.0");
        }
        for (int i = 0; i < 6; i++) {
            fx.a100NvSwitch(String.format("0000:%02x:00.0", 0xc4 + i));
        }
        JsonNode plan = plan();

        JsonNode topology = step(plan, "topology");
        assertThat(topology.get("found").asText()).isEqualTo("8 GPU, 6 NVSwitch, 0 SW_MNG NIC");
        assertThat(topology.get("mode").asText()).isEqualTo("gpu (detected)");
        assertThat(topology.get("nvlink").asText()).isEqualTo("nvl3");
        assertThat(topology.get("fabric_mode").asInt()).isZero();
        assertThat(topology.get("board").asText()).isEqualTo("HGX A100 (NVLink 3)");
        assertThat(step(plan, "fabricmanager.cfg").get("set").asText()).startsWith("FABRIC_MODE=0 PARTITION_RAIL_POLICY=greedy");
        assertThat(PlanCommandTest.names(plan)).containsSubsequence("modprobe nvidia", "modprobe nvidia-uvm",
                "fabricmanager.cfg", "nv-fabricmanager", "health", "nvidia-persistenced", "cdi")
                .doesNotContain("nvlsm", "infiniband port guid");
    }

    @Test
    void aPartialBoardBootsAndOnlyTwoFabricKindsAreRefused() throws Exception {
        SysfsFixture.at(root).gpus(4).nvSwitches(2);
        JsonNode topology = step(plan(), "topology");
        assertThat(topology.get("mode").asText()).isEqualTo("gpu (detected)");
        assertThat(topology.get("nvlink").asText()).isEqualTo("nvl4");
        SysfsFixture.at(root).swMngNic("0000:c0:00.0");
        CliTest.Result r = CliTest.run("plan", "--cmdline", "", "--root", root.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("nvrc: ").contains("both NVSwitches (NVLink 3/4: 0000:80:00.0, 0000:81:00.0)"
                + " and ConnectX management functions (NVLink 5: 0000:c0:00.0)");
    }

    /**
     * HGX B200 in full passthrough: 8 GPUs, the 4 SW_MNG ConnectX-7 bridge functions and 8 ConnectX-7
     * compute NICs; mlx5_ib numbers the compute NICs first (lower bus numbers), so mlx5_0 is a compute
     * NIC whose port allows a subnet manager. The port must be a bridge's: the first by PCI address
     * (0000:9a:00.0, mlx5_8) whose port allows a subnet manager (mlx5_10's forbids it).
     */
    @Test
    void hgxB200PlanShowsTheManagementBridgesGuidNotTheFirstComputeNics() throws Exception {
        b200();
        JsonNode plan = plan();

        JsonNode topology = step(plan, "topology");
        assertThat(topology.get("found").asText()).isEqualTo("8 GPU, 0 NVSwitch, 4 SW_MNG NIC");
        assertThat(topology.get("nvlink").asText()).isEqualTo("nvl5");
        assertThat(step(plan, "infiniband port guid").get("value").asText())
                .isEqualTo("0xb8cef60300a10008 (mlx5_8 port 1)");
        assertThat(step(plan, "topology").get("board").asText()).isEqualTo("HGX B200/B300 (Bx00)");
        assertThat(step(plan, "nvlsm").get("argv").toString()).contains("\"-g\",\"0xb8cef60300a10008\"");
        assertThat(step(plan, "nv-fabricmanager").get("argv").toString()).contains("\"-g\",\"0xb8cef60300a10008\"");
    }

    private void b200() {
        SysfsFixture fx = SysfsFixture.at(root);
        for (int i = 0; i < 8; i++) {
            fx.pci(String.format("0000:%02x:00.0", 0x1b + 0x10 * i), "0x10de", "0x2901", "0x030200");
        }
        for (int i = 0; i < 8; i++) {
            String bdf = String.format("0000:%02x:00.0", 0x18 + 0x10 * i);
            fx.computeNic(bdf).infinibandDevice("mlx5_" + i, bdf, "0xa651e848", "e09d:7303:0000:000" + i);
        }
        for (int i = 0; i < 4; i++) {
            String bdf = String.format("0000:%02x:00.%d", 0x9a + i / 2, i % 2);
            fx.swMngNic(bdf).infinibandDevice("mlx5_" + (8 + i), bdf, i == 2 ? "0xa651ec48" : "0xa651e848",
                    String.format("b8ce:f603:00a1:%04x", 8 + i));
        }
    }

    /**
     * The MIG tree (8 GPUs, GPU 2 with two instances) given to {@code nvrc cdi}, then
     * {@code scripts/gpu-check.sh --root} on it: every check passes or is skipped for a reason,
     * and the table is written to the file.
     */
    @Test
    void gpuCheckScriptRunsOnAMigMachineTreeAndWritesItsTable(@TempDir Path work) throws Exception {
        migMachine();
        CliTest.Result cdi = CliTest.run("cdi", "--root", root.toString());
        assertThat(cdi.status()).as(cdi.err()).isZero();
        JsonNode spec = new ObjectMapper().readTree(cdi.out());
        List<String> names = new ArrayList<>();
        spec.get("devices").forEach(d -> names.add(d.get("name").asText()));
        assertThat(names).endsWith("2:0", "2:1", "all").doesNotContain("2");

        Path report = work.resolve("report.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        String nvrc = java + " -cp " + System.getProperty("java.class.path") + " " + Main.class.getName();
        Path script = Path.of("..", "scripts", "gpu-check.sh").toAbsolutePath().normalize();
        Process p = new ProcessBuilder("bash", script.toString(), "--root", root.toString(), "--out", report.toString(),
                "--nvrc", nvrc).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();

        assertThat(Files.readString(report)).isEqualTo(output);
        assertThat(output).contains("mode gpu (detected)").contains("2 MIG device(s) 2:0 2:1")
                .contains("driver " + VERSION)
                .containsPattern("isolation +ok +no /dev/nvidia-caps node in the common edits")
                .containsPattern("ctk +skipped +nvidia-ctk reads the live machine only")
                .containsPattern("persistd +skipped +reads the live machine only")
                .containsPattern("dcgm +skipped +reads the live machine only")
                .containsPattern("fm-log +skipped +reads the live machine only");
        boolean validator = new ProcessBuilder("python3", "-c", "import jsonschema").start().waitFor() == 0;
        assertThat(output).containsPattern(validator ? "schema +ok +valid by" : "schema +skipped");
    }

    private void migMachine() throws Exception {
        SysfsFixture fx = SysfsFixture.at(root)
                .text("proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  " + VERSION
                        + "  Sat Jun 21 09:58:23 UTC 2025\n")
                .text("usr/lib/x86_64-linux-gnu/libcuda.so." + VERSION, "libcuda");
        List<String> nodes = new ArrayList<>(List.of("/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-caps/nvidia-cap1",
                "/dev/nvidia-caps/nvidia-cap2"));
        StringBuilder minors = new StringBuilder("config 1\nmonitor 2\n");
        for (int gpu = 0; gpu < 32; gpu++) {
            for (int gi = 0; gi < 15; gi++) {
                minors.append("gpu").append(gpu).append("/gi").append(gi).append("/access ").append(3 + gpu * 135 + gi * 9)
                        .append('\n');
                for (int ci = 0; ci < 8; ci++) {
                    minors.append("gpu").append(gpu).append("/gi").append(gi).append("/ci").append(ci).append("/access ")
                            .append(3 + gpu * 135 + gi * 9 + 1 + ci).append('\n');
                }
            }
        }
        fx.text("proc/driver/nvidia-caps/mig-minors", minors.toString());
        for (int i = 0; i < 8; i++) {
            String bdf = String.format("0000:%02x:00.0", 0x18 + 0x10 * i);
            fx.gpu(bdf).text("proc/driver/nvidia/gpus/" + bdf + "/information", "Model: \t\t NVIDIA H100 80GB HBM3\n"
                    + "GPU UUID: \t " + String.format("GPU-%08x-1111-2222-3333-444455556666", i) + "\nBus Location: \t "
                    + bdf + "\nDevice Minor: \t " + i + "\nGPU Excluded:\t No\n")
                    .dir("proc/driver/nvidia/capabilities/gpu" + i + "/mig");
            nodes.add("/dev/nvidia" + i);
        }
        for (int gi : new int[] {1, 2}) {
            String dir = "proc/driver/nvidia/capabilities/gpu2/mig/gi" + gi;
            int access = 3 + 2 * 135 + gi * 9;
            fx.text(dir + "/access", "DeviceFileMinor: " + access + "\nDeviceFileMode: 292\nDeviceFileModify: 1\n")
                    .text(dir + "/ci0/access", "DeviceFileMinor: " + (access + 1) + "\nDeviceFileMode: 292\nDeviceFileModify: 1\n");
            nodes.add("/dev/nvidia-caps/nvidia-cap" + access);
            nodes.add("/dev/nvidia-caps/nvidia-cap" + (access + 1));
        }
        for (String node : nodes) {
            Path file = root.resolve(node.substring(1));
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(file.getParent());
                Process mknod = new ProcessBuilder("mknod", file.toString(), "c", "0", "0").inheritIO().start();
                assertThat(mknod.waitFor()).isZero();
            }
        }
    }
}
