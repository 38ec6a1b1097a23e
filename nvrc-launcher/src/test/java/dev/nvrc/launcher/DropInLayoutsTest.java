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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The device layouts and command lines upstream NVRC boots (as Kata ships it), through
 * {@code check-cmdline} and {@code plan --json}: each gives the whole step list upstream runs, in its
 * order (docs/mode-and-topology.md, docs/kernel-parameters.md).
 */
class DropInLayoutsTest {
    /** The gpu-mode steps of every boot from {@code topology} to the end, without fabric. */
    static final List<String> END = List.of("health", "read-only root", "module lockdown", "jvm memory", "boot report",
            "handoff");

    @TempDir
    Path root;

    SysfsFixture tree;

    @BeforeEach
    void agent() throws Exception {
        Path agent = Files.createDirectories(root.resolve("usr/bin")).resolve("kata-agent");
        Files.writeString(agent, "#!/bin/sh\n");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwxr-xr-x"));
        tree = SysfsFixture.at(root);
    }

    JsonNode plan(String cmdline) throws Exception {
        CliTest.Result r = CliTest.run("plan", "--cmdline", cmdline, "--root", root.toString(), "--json");
        assertThat(r.err()).as(r.out()).isEmpty();
        assertThat(r.status()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    /** The step names after {@code topology}. */
    static List<String> afterTopology(JsonNode plan) {
        List<String> names = new ArrayList<>();
        boolean after = false;
        for (JsonNode s : plan) {
            if (after) {
                names.add(s.get("step").asText());
            }
            after |= s.get("step").asText().equals("topology");
        }
        return names;
    }

    static JsonNode step(JsonNode plan, String name) {
        for (JsonNode s : plan) {
            if (s.get("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + plan);
    }

    static List<String> with(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    /** Two functions of one ConnectX-7 bridge slot, only the first marked SW_MNG, with an IB port each. */
    SysfsFixture b200Bridge(int bus, String guidGroups) {
        String marked = String.format("0000:%02x:00.0", bus);
        String sibling = String.format("0000:%02x:00.1", bus);
        tree.swMngNic(marked).pci(sibling, "0x15b3", "0x1021", "0x020700");
        tree.infinibandDevice(String.format("mlx5_%d", bus), marked, "0xa651e848", guidGroups);
        return tree;
    }

    SysfsFixture b200Gpus(int count) {
        for (int i = 0; i < count; i++) {
            tree.pci(String.format("0000:%02x:00.0", 0x10 + i), "0x10de", "0x2901", "0x030200");
        }
        return tree;
    }

    @Test
    void partialHgxH100FourGpusAndFourNvSwitchesIsGpuModeWithGreedyFabricManager() throws Exception {
        tree.gpus(4).nvSwitches(4).text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=1\n");
        JsonNode plan = plan("");
        assertThat(afterTopology(plan)).containsExactlyElementsOf(with(List.of("modprobe nvidia", "modprobe nvidia-uvm",
                "fabricmanager.cfg", "nv-fabricmanager", "health", "nvidia-persistenced", "cdi"), END));
        JsonNode topology = step(plan, "topology");
        assertThat(topology.get("mode").asText()).isEqualTo("gpu (detected)");
        assertThat(topology.get("board").asText()).isEqualTo("HGX H100/H200 (Hx00)");
        assertThat(topology.get("fabric_mode").asInt()).isZero();
        assertThat(topology.get("rail_policy").asText()).isEqualTo("greedy");
        assertThat(step(plan, "modprobe nvidia").get("argv").toString()).doesNotContain("NvLinkDisable");
    }

    @Test
    void oneGpuAndOneNvSwitchIsNotIsolated() throws Exception {
        tree.gpus(1).nvSwitches(1).text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "");
        JsonNode plan = plan("");
        assertThat(afterTopology(plan)).startsWith("modprobe nvidia", "modprobe nvidia-uvm", "fabricmanager.cfg",
                "nv-fabricmanager");
        assertThat(step(plan, "modprobe nvidia").get("argv").toString()).doesNotContain("NvLinkDisable");
    }

    @Test
    void oneGpuAloneIsIsolated() throws Exception {
        tree.gpus(1);
        JsonNode plan = plan("");
        assertThat(afterTopology(plan)).containsExactlyElementsOf(with(List.of("modprobe nvidia", "modprobe nvidia-uvm",
                "nvidia-persistenced", "cdi"), END));
        assertThat(step(plan, "modprobe nvidia").get("argv").toString()).contains("NVreg_NvLinkDisable=1");
        assertThat(step(plan, "topology").get("board").asText()).startsWith("GPUs without fabric hardware");
    }

    @Test
    void b200EightGpusWithTheMarkedBridgeFunctionsAndTheirSiblingsIsGpuModeWithNvlsm() throws Exception {
        b200Gpus(8);
        b200Bridge(0xc0, "0002:c903:0029:7de0");
        b200Bridge(0xc1, "0002:c903:0029:7de1");
        tree.text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "").text("usr/share/nvidia/nvlsm/nvlsm.conf", "");
        JsonNode plan = plan("");
        assertThat(afterTopology(plan)).containsExactlyElementsOf(with(List.of("modprobe nvidia", "modprobe nvidia-uvm",
                "modprobe ib_umad", "modprobe mlx5_ib", "infiniband port guid", "nvlsm", "health", "fabricmanager.cfg",
                "nv-fabricmanager", "health", "nvidia-persistenced", "cdi"), END));
        JsonNode topology = step(plan, "topology");
        assertThat(topology.get("found").asText()).isEqualTo("8 GPU, 0 NVSwitch, 4 SW_MNG NIC");
        assertThat(topology.get("board").asText()).isEqualTo("HGX B200/B300 (Bx00)");
        assertThat(topology.get("rail_policy").asText()).isEqualTo("symmetric");
        assertThat(step(plan, "nvlsm").get("argv").toString()).contains("\"-g\",\"0x0002c90300297de0\"");
        assertThat(step(plan, "nv-fabricmanager").get("argv").toString()).contains("\"-g\",\"0x0002c90300297de0\"");
    }

    @Test
    void sixManagementFunctionsAloneAreTheNvLink5ServiceVm() throws Exception {
        b200Bridge(0xc0, "0002:c903:0029:7de0");
        b200Bridge(0xc1, "0002:c903:0029:7de1");
        b200Bridge(0xc2, "0002:c903:0029:7de2");
        tree.text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "").text("usr/share/nvidia/nvlsm/nvlsm.conf", "");
        JsonNode plan = plan("");
        assertThat(afterTopology(plan)).containsExactlyElementsOf(with(List.of("modprobe ib_umad", "modprobe mlx5_ib",
                "infiniband port guid", "nvlsm", "health", "fabricmanager.cfg", "nv-fabricmanager", "health"), END));
        assertThat(step(plan, "topology").get("mode").asText()).isEqualTo("nvswitch-nvl5 (detected)");
        assertThat(step(plan, "topology").get("fabric_mode").asInt()).isEqualTo(1);
    }

    @Test
    void anOrdinaryNicAloneIsCpuMode() throws Exception {
        tree.computeNic("0000:c0:00.0").computeNic("0000:c0:00.1");
        JsonNode plan = plan("");
        assertThat(afterTopology(plan)).containsExactlyElementsOf(END);
        assertThat(step(plan, "topology").get("mode").asText()).isEqualTo("cpu (detected)");
    }

    @Test
    void bothFabricKindsStopNamingTheFunctionsOfEach() throws Exception {
        tree.gpus(2).nvSwitch("0000:80:00.0");
        b200Bridge(0xc0, "0002:c903:0029:7de0");
        CliTest.Result r = CliTest.run("plan", "--cmdline", "", "--root", root.toString(), "--json");
        assertThat(r.status()).isNotZero();
        assertThat(r.err()).contains("both NVSwitches (NVLink 3/4: 0000:80:00.0) and ConnectX management functions"
                + " (NVLink 5: 0000:c0:00.0, 0000:c0:00.1)");
    }

    @Test
    void uvmToolsComesRightAfterNvidiaUvm() throws Exception {
        tree.gpus(2);
        JsonNode plan = plan("nvrc.uvm.tools=on");
        assertThat(afterTopology(plan)).startsWith("modprobe nvidia", "modprobe nvidia-uvm", "nvidia-uvm-tools",
                "nvidia-persistenced", "cdi");
        JsonNode node = step(plan, "nvidia-uvm-tools");
        assertThat(node.get("path").asText()).isEqualTo("/dev/nvidia-uvm-tools");
        assertThat(node.get("minor").asInt()).isEqualTo(1);
        assertThat(node.get("mode").asText()).isEqualTo("0666");
    }

    /** Every example of upstream's README (newest) and the lines Kata's NVIDIA configs pass. */
    @ParameterizedTest
    @ValueSource(strings = {
        "nvrc.smi.lgc=1500 nvrc.smi.lmc=5001 nvrc.smi.pl=300",
        "nvrc.dcgm=on nvrc.log=info",
        "nvrc.log=debug",
        "nvrc.log=trace",
        "nvrc.log= nvrc.log=0",
        "nvrc.uvm.tools=on nvrc.uvm.persistence.mode=off",
        "nvrc.extra_modules=nvidia_peermem",
        "console=hvc0 quiet panic=1 cgroup_no_v1=all pci=realloc pci=nocrs pci=assign-busses",
        "cgroup_no_v1=all pci=realloc pci=nocrs pci=assign-busses nvrc.smi.srs=1",
        "cgroup_no_v1=all pci=realloc pci=nocrs pci=assign-busses nvrc.smi.srs=1 nvrc.log=trace"
            + " kata.extension.gpu.verity_params=root_hash=ab12,salt=cd34,data_blocks=8,data_block_size=4096,"
            + "hash_block_size=4096",
    })
    void upstreamAndKataCommandLinesAreAcceptedAndPlanned(String cmdline) throws Exception {
        CliTest.Result check = CliTest.run("check-cmdline", cmdline);
        assertThat(check.err()).isEmpty();
        assertThat(check.status()).isZero();
        tree.gpus(1);
        if (cmdline.contains("kata.extension.gpu")) {
            tree.dir("run").text("sys/block/vdb/serial", "extension-gpu\n")
                    .text("sys/block/vdb/vdb1/partition", "1\n").text("sys/block/vdb/vdb2/partition", "2\n");
        }
        JsonNode plan = plan(cmdline);
        assertThat(afterTopology(plan)).startsWith("modprobe nvidia", "modprobe nvidia-uvm").endsWith(END.toArray(String[]::new));
        if (cmdline.contains("nvrc.smi.srs=1")) {
            assertThat(afterTopology(plan)).containsSubsequence("cdi", "nvidia-smi conf-compute -srs", "health");
        }
        if (cmdline.contains("nvrc.extra_modules=nvidia_peermem")) {
            assertThat(afterTopology(plan)).containsSubsequence("cdi", "modprobe nvidia_peermem", "health");
        }
    }
}
