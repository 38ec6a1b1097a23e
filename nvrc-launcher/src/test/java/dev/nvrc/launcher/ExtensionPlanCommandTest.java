package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvrc.core.Arch;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code plan} on a tree with an extension device ({@code sys/block/vdb/serial = extension-gpu}):
 * the extension steps and the remapped NVIDIA paths, though nothing is mounted; and each
 * fail-closed case is exit 2 with a line naming the extension.
 */
class ExtensionPlanCommandTest {
    static final String VERITY = "kata.extension.gpu.verity_params=root_hash=5c1e0b3b9a2f,salt=9f86d081884c,"
            + "data_blocks=2048,data_block_size=4096,hash_block_size=4096";
    static final String EXT = GuestLayout.GPU_EXTENSION;

    @TempDir
    Path root;

    SysfsFixture gpuExtensionDevice() {
        return SysfsFixture.at(root).gpus(1).text("sys/block/vda/serial", "rootfs\n")
                .text("sys/block/vdb/serial", "extension-gpu\n")
                .text("sys/block/vdb/vdb1/partition", "1\n").text("sys/block/vdb/vdb2/partition", "2\n")
                .text("sys/block/vdb/size", "20480\n");
    }

    JsonNode plan(String cmdline) throws Exception {
        CliTest.Result r = CliTest.run("plan", "--cmdline", cmdline, "--root", root.toString(), "--json");
        assertThat(r.err()).isEmpty();
        assertThat(r.status()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    static JsonNode step(JsonNode plan, String name) {
        for (JsonNode s : plan) {
            if (s.get("step").asText().equals(name)) {
                return s;
            }
        }
        throw new AssertionError("no step " + name + " in " + plan);
    }

    static List<String> argv(JsonNode step) {
        return new ObjectMapper().convertValue(step.get("argv"), new com.fasterxml.jackson.core.type.TypeReference<>() {
        });
    }

    @Test
    void theGpuExtensionIsVerifiedMountedAndEveryNvidiaPathIsRemapped() throws Exception {
        gpuExtensionDevice();
        JsonNode plan = plan(VERITY + " nvrc.dcgm=on nvrc.smi.lgc=1980 nvrc.modules=nvidia-peermem,dummy");
        assertThat(PlanCommandTest.names(plan)).containsSubsequence("cmdline", "extensions", "extension gpu",
                "gpu extension firmware", "gpu extension ld.so.cache", "topology", "modprobe nvidia",
                "modprobe nvidia-uvm", "nvidia-persistenced", "nvidia-smi -lgc", "nv-hostengine", "dcgm-exporter",
                "cdi", "modprobe nvidia-peermem", "modprobe dummy", "module lockdown", "handoff");
        assertThat(step(plan, "extensions").get("found").asText()).isEqualTo("gpu on vdb");

        JsonNode mount = step(plan, "extension gpu");
        assertThat(argv(mount)).containsExactly("/usr/sbin/veritysetup", "open", "--no-superblock", "--hash", "sha256",
                "--data-block-size", "4096", "--hash-block-size", "4096", "--data-blocks", "2048",
                "--salt", "9f86d081884c", "/dev/vdb1", "extension-gpu", "/dev/vdb2", "5c1e0b3b9a2f");
        assertThat(mount.get("mount").asText())
                .isEqualTo("/dev/mapper/extension-gpu on /run/kata-extensions/gpu (erofs, ro,nosuid,nodev)");
        assertThat(mount.get("flags").asText()).isEqualTo("0x7");

        assertThat(step(plan, "gpu extension firmware").get("bind").asText())
                .isEqualTo(EXT + "/lib/firmware/nvidia -> /lib/firmware/nvidia");
        JsonNode ldcache = step(plan, "gpu extension ld.so.cache");
        assertThat(argv(ldcache)).containsExactly("/sbin/ldconfig", "-X", "-f", "/run/ld.so.conf", "-C",
                "/run/ld.so.cache");
        assertThat(ldcache.get("conf").asText()).isEqualTo("include /etc/ld.so.conf.d/*.conf; " + EXT + "/usr/lib/"
                + Arch.current().triplet());
        assertThat(ldcache.get("bind").asText()).isEqualTo("/run/ld.so.cache -> /etc/ld.so.cache");

        assertThat(argv(step(plan, "modprobe nvidia")))
                .containsExactly("/sbin/modprobe", "--dirname", EXT, "nvidia", "NVreg_NvLinkDisable=1");
        assertThat(argv(step(plan, "modprobe nvidia-uvm"))).containsExactly("/sbin/modprobe", "--dirname", EXT, "nvidia-uvm");
        assertThat(argv(step(plan, "nvidia-persistenced")).get(0)).isEqualTo(EXT + "/bin/nvidia-persistenced");
        assertThat(argv(step(plan, "nvidia-smi -lgc"))).containsExactly(EXT + "/bin/nvidia-smi", "-lgc", "1980");
        assertThat(argv(step(plan, "nv-hostengine")).get(0)).isEqualTo(EXT + "/bin/nv-hostengine");
        assertThat(argv(step(plan, "dcgm-exporter")).get(0)).isEqualTo(EXT + "/bin/dcgm-exporter");
        assertThat(step(plan, "cdi").get("driver_root").asText()).isEqualTo(EXT);
        // Only NVIDIA modules come from the extension.
        assertThat(argv(step(plan, "modprobe nvidia-peermem")))
                .containsExactly("/sbin/modprobe", "--dirname", EXT, "nvidia-peermem");
        assertThat(argv(step(plan, "modprobe dummy"))).containsExactly("/sbin/modprobe", "dummy");
        assertThat(step(plan, "handoff").get("env").asText()).contains("KATA_ATTESTER_VARIANT=nvidia");
        // Planning touched nothing: the extension is not there.
        assertThat(root.resolve("run/kata-extensions")).doesNotExist();
    }

    @Test
    void theCtkBackendGetsTheExtensionsDriverRootDevRootAndHook() throws Exception {
        gpuExtensionDevice();
        JsonNode plan = plan(VERITY + " nvrc.cdi=ctk");
        assertThat(argv(step(plan, "cdi"))).containsExactly(EXT + "/bin/nvidia-ctk", "-d", "cdi", "generate",
                "--output=/var/run/cdi/nvidia.yaml", "--driver-root=" + EXT, "--dev-root=/",
                "--nvidia-cdi-hook-path=" + EXT + "/bin/nvidia-cdi-hook");
    }

    @Test
    void anotherExtensionIsMountedButTheNvidiaPathsStayInTheBaseImage() throws Exception {
        SysfsFixture.at(root).text("sys/block/vdc/serial", "extension-coco\n")
                .text("sys/block/vdc/vdc1/partition", "1\n").text("sys/block/vdc/vdc2/partition", "2\n");
        JsonNode plan = plan(VERITY.replace(".gpu.", ".coco.") + " nvrc.mode=cpu");
        assertThat(PlanCommandTest.names(plan)).containsSubsequence("extensions", "extension coco", "topology")
                .doesNotContain("gpu extension firmware", "gpu extension ld.so.cache");
        assertThat(argv(step(plan, "extension coco"))).contains("/dev/vdc1", "extension-coco", "/dev/vdc2");
        assertThat(step(plan, "handoff").get("env").asText()).doesNotContain("KATA_ATTESTER_VARIANT");
    }

    @Test
    void withoutAnExtensionNothingChanges() throws Exception {
        SysfsFixture.at(root).gpus(1).text("sys/block/vda/serial", "rootfs\n");
        JsonNode plan = plan("");
        assertThat(step(plan, "extensions").get("found").asText()).isEqualTo("none");
        assertThat(PlanCommandTest.names(plan)).noneMatch(n -> n.startsWith("extension ") || n.startsWith("gpu extension"));
        assertThat(plan.toString()).doesNotContain("kata-extensions").doesNotContain("KATA_ATTESTER_VARIANT");
    }

    CliTest.Result failed(String cmdline) {
        CliTest.Result r = CliTest.run("plan", "--cmdline", cmdline, "--root", root.toString(), "--json");
        assertThat(r.status()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines()).hasSize(1);
        return r;
    }

    @Test
    void aDeviceWithoutVerityParamsIsExitTwo() {
        gpuExtensionDevice();
        assertThat(failed("nvrc.dcgm=on").err().strip()).isEqualTo("nvrc: extension gpu: block device vdb (serial"
                + " extension-gpu) has no kata.extension.gpu.verity_params on the command line; refusing an"
                + " unverified mount");
    }

    @Test
    void verityParamsWithoutADeviceAreExitTwo() {
        SysfsFixture.at(root).gpus(1);
        assertThat(failed(VERITY).err().strip()).isEqualTo("nvrc: extension gpu: kata.extension.gpu.verity_params is"
                + " on the command line but no block device has the serial extension-gpu");
    }

    @Test
    void anInvalidExtensionNameOnADeviceIsExitTwo() {
        SysfsFixture.at(root).text("sys/block/vdb/serial", "extension-..\n");
        assertThat(failed("").err()).startsWith("nvrc: invalid extension name \"..\" in the serial of block device vdb");
    }

    @Test
    void aDeviceWithoutItsHashPartitionIsExitTwo() {
        SysfsFixture.at(root).text("sys/block/vdb/serial", "extension-gpu\n").text("sys/block/vdb/vdb1/partition", "1\n");
        assertThat(failed(VERITY).err()).startsWith("nvrc: extension gpu: block device vdb has no hash partition (2)");
    }

    @Test
    void incompleteVerityParamsAreExitTwoNamingTheToken() {
        gpuExtensionDevice();
        String bad = "kata.extension.gpu.verity_params=root_hash=ab,salt=cd,data_blocks=0,data_block_size=4096,"
                + "hash_block_size=4096";
        assertThat(failed(bad).err()).startsWith("nvrc: " + bad + ": data_blocks=0");
    }
}
