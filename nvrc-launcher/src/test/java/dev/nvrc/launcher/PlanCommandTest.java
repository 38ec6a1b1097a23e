package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    @TempDir
    Path root;

    @BeforeEach
    void agent() throws Exception {
        Files.createDirectories(root.resolve("sys"));
        Path agent = Files.createDirectories(root.resolve("usr/bin")).resolve("kata-agent");
        Files.writeString(agent, "#!/bin/sh\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    JsonNode plan(String cmdline) throws Exception {
        CliTest.Result r = CliTest.run("plan", "--cmdline", cmdline, "--root", root.toString(), "--json");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    static List<String> names(JsonNode plan) {
        List<String> names = new ArrayList<>();
        plan.forEach(s -> names.add(s.get("step").asText()));
        return names;
    }

    @Test
    void cpuPlanListsEveryStepOfTheBoot() throws Exception {
        JsonNode plan = plan("nvrc.mode=cpu");
        assertThat(names(plan)).containsExactly("mount /proc", "mount /dev", "mount /sys", "mount /run", "mount /tmp",
                "mount /sys/kernel/security", "mount /sys/kernel/config", "loopback", "kernel log",
                "sysctl net.core.rmem_default", "sysctl net.core.wmem_default", "sysctl net.core.rmem_max",
                "sysctl net.core.wmem_max", "syslog /dev/log", "cmdline", "kata-agent", "extensions", "topology", "health",
                "read-only root",
                "module lockdown", "jvm memory", "boot report", "handoff");
        JsonNode handoff = plan.get(plan.size() - 1);
        assertThat(handoff.get("argv").get(0).asText()).isEqualTo("/usr/bin/kata-agent");
        assertThat(handoff.get("oom_score_adj").asInt()).isEqualTo(-997);
    }

    @Test
    void gpuPlanHasEachProgramWithItsArgv() throws Exception {
        SysfsFixture.at(root).gpus(8);
        JsonNode plan = plan("nvrc.smi.lgc=1980 nvrc.dcgm=on nvrc.timeout=600");
        List<String> names = names(plan);
        assertThat(names).containsSubsequence("topology", "modprobe nvidia", "modprobe nvidia-uvm", "nvidia-persistenced",
                "nvidia-smi -lgc", "nv-hostengine", "dcgm-exporter", "cdi", "health", "handoff");
        JsonNode topology = plan.get(names.indexOf("topology"));
        assertThat(topology.get("found").asText()).isEqualTo("8 GPU, 0 NVSwitch, 0 SW_MNG NIC");
        assertThat(topology.get("mode").asText()).isEqualTo("gpu (detected)");
        JsonNode persistenced = plan.get(names.indexOf("nvidia-persistenced"));
        assertThat(persistenced.get("argv").toString())
                .isEqualTo("[\"/bin/nvidia-persistenced\",\"--verbose\",\"--uvm-persistence-mode\"]");
        assertThat(persistenced.get("await").asText()).isEqualTo("Local RPC services initialized");
        assertThat(persistenced.get("timeout_s").asInt()).isEqualTo(600);
        assertThat(plan.get(names.indexOf("nvidia-smi -lgc")).get("argv").toString())
                .isEqualTo("[\"/bin/nvidia-smi\",\"-lgc\",\"1980\"]");
        assertThat(plan.get(names.indexOf("cdi")).get("path").asText()).isEqualTo("/var/run/cdi/nvidia.json");
    }

    @Test
    void nvl5ServiceVmShowsTheGuidPlaceholder() throws Exception {
        SysfsFixture.at(root).swMngNics(4);
        JsonNode plan = plan("");
        List<String> names = names(plan);
        assertThat(names).containsSubsequence("modprobe ib_umad", "modprobe mlx5_ib", "infiniband port guid", "nvlsm",
                "fabricmanager.cfg", "nv-fabricmanager");
        assertThat(names).doesNotContain("modprobe nvidia", "nvidia-persistenced", "cdi");
        assertThat(plan.get(names.indexOf("nvlsm")).get("argv").toString()).contains("<port GUID");
    }

    @Test
    void planShowsTheModprobeOfEachExtraModuleBeforeTheLockdown() throws Exception {
        JsonNode plan = plan("nvrc.mode=cpu nvrc.modules=dummy,vsock_loopback");
        List<String> names = names(plan);
        assertThat(names).containsSubsequence("topology", "modprobe dummy", "modprobe vsock_loopback", "health",
                "module lockdown");
        JsonNode dummy = plan.get(names.indexOf("modprobe dummy"));
        assertThat(dummy.get("argv").toString()).isEqualTo("[\"/sbin/modprobe\",\"dummy\"]");
        assertThat(dummy.get("from").asText()).isEqualTo("nvrc.modules");
    }

    @Test
    void aBadModuleNameIsExitTwoNamingIt() {
        CliTest.Result r = CliTest.run("plan", "--cmdline", "nvrc.modules=dummy,-r", "--root", root.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("nvrc: nvrc.modules=dummy,-r: item 2 of 2 \"-r\": starts with '-'");
        CliTest.Result check = CliTest.run("check-cmdline", "nvrc.modules=dummy,,x.ko");
        assertThat(check.status()).isEqualTo(2);
        assertThat(check.err().lines()).containsExactly(
                "nvrc: nvrc.modules=dummy,,x.ko: item 2 of 3: empty module name; expected module names of 1 to 55 "
                        + "letters, digits, '_' and '-', starting with a letter, digit or '_', separated by commas "
                        + "(e.g. nvrc.modules=dummy,vsock)",
                "nvrc: nvrc.modules=dummy,,x.ko: item 3 of 3 \"x.ko\": a file name, not a module name (did you mean x?); "
                        + "expected module names of 1 to 55 letters, digits, '_' and '-', starting with a letter, digit or '_', "
                        + "separated by commas (e.g. nvrc.modules=dummy,vsock)");
    }

    @Test
    void textPlanIsNumbered() {
        CliTest.Result r = CliTest.run("plan", "--cmdline", "nvrc.mode=cpu", "--root", root.toString());
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("  1  mount /proc").contains(" 16  kata-agent").contains(" 17  extensions")
                .contains(" 24  handoff: /usr/bin/kata-agent");
    }

    @Test
    void badInputIsExitTwoWithNvrcLines() {
        CliTest.Result bad = CliTest.run("plan", "--cmdline", "nvrc.smi.lcg=1 nvrc.log=x", "--root", root.toString());
        assertThat(bad.status()).isEqualTo(2);
        assertThat(bad.err().lines()).hasSize(2).allMatch(l -> l.startsWith("nvrc: "));
        CliTest.Result noGpu = CliTest.run("plan", "--cmdline", "nvrc.mode=gpu", "--root", root.toString());
        assertThat(noGpu.status()).isEqualTo(2);
        assertThat(noGpu.err()).startsWith("nvrc: ").contains("gpu");
        assertThat(CliTest.run("plan", "--cmdline", "x").status()).isEqualTo(2);
        assertThat(CliTest.run("plan", "--root", root.toString(), "--bogus").status()).isEqualTo(2);
        assertThat(CliTest.run("plan", "--cmdline", "", "--root", root.resolve("nope").toString()).err())
                .isEqualTo("nvrc: under " + root.resolve("nope") + ": no such directory\n");
        // A tree without sys would plan a machine without PCI devices: refused, as GuestPlan refuses it.
        CliTest.Result noSys = CliTest.run("plan", "--cmdline", "", "--root", root.resolve("usr").toString());
        assertThat(noSys.status()).isEqualTo(2);
        assertThat(noSys.err()).isEqualTo("nvrc: under " + root.resolve("usr")
                + ": no sys directory: not the root of a machine or image tree\n");
    }

    @Test
    void thePlanSaysWhatTheAgentCheckFindsWithoutStoppingThere() throws Exception {
        assertThat(agentStep(plan("nvrc.mode=cpu")).get("found").asText()).isEqualTo("ok");

        Files.setPosixFilePermissions(root.resolve("usr/bin/kata-agent"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(agentStep(plan("nvrc.mode=cpu")).get("found").asText()).isEqualTo("FAILS here: /usr/bin/kata-agent ("
                + root.resolve("usr/bin/kata-agent") + ") is not executable (mode rw-r--r--)");

        Files.delete(root.resolve("usr/bin/kata-agent"));
        Files.createDirectory(root.resolve("usr/bin/kata-agent"));
        assertThat(agentStep(plan("nvrc.mode=cpu")).get("found").asText()).endsWith("is a directory, expected the kata-agent program");

        Files.delete(root.resolve("usr/bin/kata-agent"));
        SysfsFixture.at(root).gpus(1);
        JsonNode gpu = plan("");
        assertThat(agentStep(gpu).get("found").asText()).endsWith("does not exist: the image must ship kata-agent,"
                + " which the boot hands PID 1 to");
        // Right after cmdline: the boot stops there, before any GPU work.
        assertThat(names(gpu)).containsSubsequence("cmdline", "kata-agent", "topology", "modprobe nvidia");
    }

    private static JsonNode agentStep(JsonNode plan) {
        for (JsonNode s : plan) {
            if (s.get("step").asText().equals("kata-agent")) {
                return s;
            }
        }
        throw new AssertionError("no kata-agent step in " + plan);
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFifoInTheSysfsTreeIsExitStatus2NotAHang() throws Exception {
        SysfsFixture.at(root).gpus(1);
        Path vendor;
        try (var s = Files.list(root.resolve("sys/bus/pci/devices"))) {
            vendor = s.findFirst().orElseThrow().resolve("vendor");
        }
        Files.delete(vendor);
        assertThat(new ProcessBuilder("mkfifo", vendor.toString()).inheritIO().start().waitFor()).isZero();
        CliTest.Result r = CliTest.run("plan", "--cmdline", "", "--root", root.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("nvrc: " + vendor + ": cannot read: a FIFO, not a regular file\n");
    }

    @Test
    void aPciDevicesSymlinkLoopIsExitStatus2NotCpuMode() throws Exception {
        Path pci = Files.createDirectories(root.resolve("sys/bus/pci"));
        Files.createSymbolicLink(pci.resolve("devices"), pci.resolve("devices"));
        CliTest.Result r = CliTest.run("plan", "--cmdline", "", "--root", root.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).startsWith("nvrc: cannot read " + pci.resolve("devices") + ": ").contains("symbolic links");
        assertThat(r.out()).doesNotContain("cpu");
    }
}
