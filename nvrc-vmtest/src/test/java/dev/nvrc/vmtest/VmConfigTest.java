package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.Arch;
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
    void anotherArchitecturesGuestHasItsQemuConsoleAndFetchedKernel(@TempDir Path dir) throws Exception {
        Arch other = Arch.current() == Arch.AARCH64 ? Arch.X86_64 : Arch.AARCH64;
        Path boot = Files.createDirectories(dir.resolve(other.id()).resolve("root/boot"));
        Files.createFile(boot.resolve("vmlinuz-6.1.0-56-cloud-" + other.debian()));
        Files.createFile(boot.resolve("vmlinuz-6.1.0-57-cloud-" + other.debian()));
        Files.createFile(boot.resolve("config-6.1.0-58-cloud-" + other.debian()));
        VmConfig c = VmConfig.from(Map.of("nvrc.arch", other.debian(), "nvrc.arch.cache", dir.toString())::get, Map.of());
        assertThat(c.arch()).isEqualTo(other);
        assertThat(c.emulated()).isTrue();
        assertThat(c.qemu()).isEqualTo("qemu-system-" + other.id());
        assertThat(c.kernel()).isEqualTo(boot.resolve("vmlinuz-6.1.0-57-cloud-" + other.debian()));
        assertThat(c.baseCmdline()).isEqualTo(VmConfig.baseCmdline(other));
        Files.delete(c.kernel());
        Files.delete(boot.resolve("vmlinuz-6.1.0-56-cloud-" + other.debian()));
        VmConfig none = VmConfig.from(Map.of("nvrc.arch", other.id(), "nvrc.arch.cache", dir.toString())::get, Map.of());
        assertThat(none.missing()).anySatisfy(r -> assertThat(r).contains("scripts/fetch-arch.sh " + other.id()));
        assertThat(VmConfig.from(Map.<String, String>of()::get, Map.of()).emulated()).isFalse();
        assertThatThrownBy(() -> VmConfig.from(Map.of("nvrc.arch", "mips")::get, Map.of()))
                .hasMessage("nvrc.arch=mips: unknown architecture (known: x86_64, aarch64)");
    }

    @Test
    void eachArchitectureHasItsSerialConsole() {
        assertThat(VmConfig.baseCmdline(Arch.X86_64)).isEqualTo(VmConfig.BASE_CMDLINE).startsWith("console=ttyS0 ");
        assertThat(VmConfig.baseCmdline(Arch.AARCH64)).isEqualTo("console=ttyAMA0 panic=-1 quiet loglevel=5");
    }

    @Test
    void theDefaultKernelIsAKernelImagePath() {
        assertThat(VmConfig.defaultKernel().getFileName().toString()).startsWith("vmlinuz");
    }
}
