package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Composable images under QEMU: a real EROFS extension protected by dm-verity on a virtio-blk disk
 * with serial {@code extension-gpu} (built by build-initramfs.sh from files only), opened by the
 * guest's own veritysetup and kernel (dm-verity, erofs), and the fail-closed cases.
 */
class ExtensionScenariosVmTest {
    static final String EXT = "/run/kata-extensions/gpu";
    static final String GPU0 = BootScenariosVmTest.GPU0;

    private static Vm vm;
    private static ExtensionDisk disk;

    @BeforeAll
    static void vm() {
        vm = VmAvailability.vmOrSkip();
        disk = ExtensionDisk.orSkip(vm);
    }

    private static VmRun boot(String name, String cmdline, List<String> qemuArgs) {
        VmRun run = vm.run(name, cmdline, BootScenariosVmTest.TIMEOUT, qemuArgs);
        System.out.println(name + ": " + run);
        return run;
    }

    private static String preInit(String more) {
        return BootScenariosVmTest.PRE_INIT + " vmtest.fixture=gpu1 vmtest.load=" + ExtensionDisk.MODULES + " " + more;
    }

    private static void assertFailedOnce(VmRun run) {
        assertThat(run.outcome()).as("%s%n%s", run, run.console()).isEqualTo(Outcome.INIT_FAILED);
        assertThat(Pattern.compile("(?m)^\\[\\s*\\d+\\.\\d+\\] nvrc: FAILED [^:\\n]+: ").matcher(run.console()).results()
                .count()).as(run.console()).isEqualTo(1);
    }

    private static List<String> toolCalls(VmRun run) {
        return run.nvsimCalls().stream().filter(c -> !c.startsWith("modprobe -q -- ")).toList();
    }

    /**
     * The base image has no NVIDIA program, library or firmware (the pre-init removed them): the
     * GPU boot runs entirely from the verified extension and hands off, with the CDI spec made
     * from the extension's libraries and kata-agent told to use the NVIDIA attester.
     */
    @Test
    void theGpuBootRunsEntirelyFromTheVerifiedExtensionAndHandsOff() {
        VmRun run = boot("extension-gpu", preInit("vmtest.base=no-nvidia " + disk.verityParams()
                + " agent.expect_devices=0," + GPU0 + ",all agent.expect_daemons=nvidia-persistenced"
                + " agent.expect_attester=nvidia agent.expect_ro_mount=" + EXT + ":erofs"), ExtensionDisk.attach(disk.image()));
        assertThat(run.outcome()).as("%s%n%s", run, run.console()).isEqualTo(Outcome.HANDOFF_OK);
        assertThat(run.agentChecks()).as(run.console()).containsKeys("attester_variant", "ro_mount", "cdi_devices",
                "daemons", "root_readonly", "modules_disabled");
        assertThat(run.console()).contains("pre-init: base image without the NVIDIA user space");
        assertThat(toolCalls(run)).containsExactly("modprobe --dirname " + EXT + " nvidia NVreg_NvLinkDisable=1",
                "modprobe --dirname " + EXT + " nvidia-uvm", "nvidia-persistenced --verbose --uvm-persistence-mode");
        String report = run.bootJson().orElseThrow();
        assertThat(report).contains("\"step\" : \"extension gpu\"", "\"step\" : \"gpu extension firmware\"",
                "\"step\" : \"gpu extension ld.so.cache\"");
        assertThat(report.indexOf("\"step\" : \"extension gpu\"")).isLessThan(report.indexOf("\"step\" : \"modprobe nvidia\""));
        // The spec mounts the extension's files at the paths a monolithic image has them.
        assertThat(run.cdiSpec().orElseThrow()).contains("\"hostPath\": \"" + EXT + "/usr/lib/x86_64-linux-gnu/libcuda.so.")
                .contains("\"containerPath\": \"/usr/lib/x86_64-linux-gnu/libcuda.so.");
    }

    @Test
    void aTamperedExtensionStopsTheBootNamingIt() {
        VmRun run = boot("extension-tampered", preInit(disk.verityParams() + " agent.expect_devices=none"),
                ExtensionDisk.attach(disk.tampered()));
        assertFailedOnce(run);
        assertThat(run.failedLine().orElseThrow()).startsWith("nvrc: FAILED extension gpu: mount /dev/mapper/extension-gpu")
                .contains("dm-verity");
        // The kernel's dm-verity caught the flipped byte: the superblock's block fails its hash.
        assertThat(run.console()).containsPattern("device-mapper: verity: [0-9:]+: data block 0 is corrupted");
        assertThat(toolCalls(run)).isEmpty();
    }

    @Test
    void aDeviceWithoutVerityParamsIsRefused() {
        VmRun run = boot("extension-no-params", preInit("agent.expect_devices=none"), ExtensionDisk.attach(disk.image()));
        assertFailedOnce(run);
        assertThat(run.failedLine().orElseThrow()).isEqualTo("nvrc: FAILED extensions: extension gpu: block device vda (serial"
                + " extension-gpu) has no kata.extension.gpu.verity_params on the command line; refusing an"
                + " unverified mount");
        assertThat(toolCalls(run)).isEmpty();
    }

    @Test
    void verityParamsWithoutADeviceAreRefused() {
        VmRun run = boot("extension-no-device", preInit(disk.verityParams() + " agent.expect_devices=none"), List.of());
        assertFailedOnce(run);
        assertThat(run.failedLine().orElseThrow()).isEqualTo("nvrc: FAILED extensions: extension gpu: kata.extension.gpu.verity_params"
                + " is on the command line but no block device has the serial extension-gpu");
        assertThat(toolCalls(run)).isEmpty();
    }
}
