package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmConfigTest {
    @Test
    void systemPropertiesWinOverTheEnvironmentWhichWinsOverDefaults(@TempDir Path dir) {
        Map<String, String> props = Map.of("nvrc.vm.kernel", "/k1");
        Map<String, String> env = Map.of("NVRC_VM_KERNEL", "/k2", "NVRC_VM_INITRAMFS", "/i2", "NVRC_VM_QEMU", " ");
        VmConfig c = VmConfig.from(props::get, env);
        assertThat(c.kernel()).isEqualTo(Path.of("/k1"));
        assertThat(c.initramfs()).isEqualTo(Path.of("/i2"));
        assertThat(c.qemu()).isEqualTo("qemu-system-x86_64");
        assertThat(c.logs()).isNull();
        assertThat(c.accel()).isEqualTo("tcg");
        assertThat(c.baseCmdline()).isEqualTo(VmConfig.BASE_CMDLINE);
    }

    @Test
    void missingSaysWhatIsMissingAndHowToGetIt(@TempDir Path dir) throws Exception {
        VmConfig none = new VmConfig(dir.resolve("qemu").toString(), dir.resolve("vmlinuz"), dir.resolve("img"), null, "", "tcg");
        assertThat(none.missing()).hasSize(3).anySatisfy(r -> assertThat(r).contains("apt-get install qemu-system-x86"))
                .anySatisfy(r -> assertThat(r).contains("linux-image-cloud-amd64"))
                .anySatisfy(r -> assertThat(r).contains("mvn verify"));
        Path qemu = Files.createFile(dir.resolve("qemu"));
        qemu.toFile().setExecutable(true);
        Files.createFile(dir.resolve("vmlinuz"));
        Files.createFile(dir.resolve("img"));
        assertThat(none.missing()).isEmpty();
        VmConfig onPath = new VmConfig("sh", dir.resolve("vmlinuz"), dir.resolve("img"), null, "", "tcg");
        assertThat(onPath.resolveQemu()).isPresent();
        assertThat(new VmConfig("no-such-program-nvrc", null, null, null, "", "tcg").resolveQemu()).isEmpty();
    }

    @Test
    void theDefaultKernelIsAKernelImagePath() {
        assertThat(VmConfig.defaultKernel().getFileName().toString()).startsWith("vmlinuz");
    }
}
