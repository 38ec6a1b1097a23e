package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.Arch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
        Files.createFile(boot.resolve("vmlinuz-6.1.0-100-cloud-" + other.debian()));
        Files.createFile(boot.resolve("vmlinuz-6.1.0-57-cloud-" + other.debian()));
        Files.createFile(boot.resolve("config-6.1.0-58-cloud-" + other.debian()));
        VmConfig c = VmConfig.from(Map.of("nvrc.arch", other.debian(), "nvrc.arch.cache", dir.toString())::get, Map.of());
        assertThat(c.arch()).isEqualTo(other);
        assertThat(c.emulated()).isTrue();
        assertThat(c.qemu()).isEqualTo("qemu-system-" + other.id());
        assertThat(c.kernel()).isEqualTo(boot.resolve("vmlinuz-6.1.0-100-cloud-" + other.debian()));
        assertThat(c.baseCmdline()).isEqualTo(VmConfig.baseCmdline(other));
        Files.delete(c.kernel());
        Files.delete(boot.resolve("vmlinuz-6.1.0-57-cloud-" + other.debian()));
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
void theDefaultKernelIsADebianCloudKernel() {
        assertThat(VmConfig.defaultKernel().getFileName().toString()).startsWith("vmlinuz-").endsWith("-cloud-amd64");
    }

    @Test
    void theNewestCloudKernelIsPickedByVersionNotByName(@TempDir Path boot) throws Exception {
        assertThat(VmConfig.newestCloudKernel(boot)).isEmpty();
        for (String f : List.of("vmlinuz-6.1.0-9-cloud-amd64", "vmlinuz-6.1.0-10-cloud-amd64", "vmlinuz-6.12.0-1-amd64",
                "vmlinuz-6.1.0-10-cloud-amd64.bak", "config-6.1.0-99-cloud-amd64", "vmlinuz-5.10.0-30-cloud-amd64")) {
            Files.createFile(boot.resolve(f));
        }
        assertThat(VmConfig.newestCloudKernel(boot)).hasValue(boot.resolve("vmlinuz-6.1.0-10-cloud-amd64"));
        assertThat(VmConfig.compareVersions("6.1.0-57", "6.1.0-100")).isNegative();
        assertThat(VmConfig.compareVersions("6.10.0-1", "6.9.0-99")).isPositive();
        assertThat(VmConfig.compareVersions("6.1.0-057", "6.1.0-57")).isZero();
    }

    /** One rule: the scripts' finder (scripts/guest-kernel.sh) and VmConfig pick the same kernel. */
    @Test
    void theScriptsFinderAndVmConfigAgree(@TempDir Path boot) throws Exception {
        Path script = Path.of("../scripts/guest-kernel.sh").toAbsolutePath().normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(script), "no " + script);
        List<String> names = List.of("vmlinuz-6.1.0-57-cloud-amd64", "vmlinuz-6.1.0-100-cloud-amd64",
                "vmlinuz-6.1.0-7-cloud-amd64", "vmlinuz-6.10.0-1-cloud-amd64", "vmlinuz-6.9.0-300-cloud-amd64",
                "vmlinuz-7.0.0-1-amd64");
        for (int n = 1; n <= names.size(); n++) {
            Files.createFile(boot.resolve(names.get(n - 1)));
            assertThat(Path.of(finder(script, boot, Map.of()))).as("with %s", names.subList(0, n))
                    .isEqualTo(VmConfig.newestCloudKernel(boot).orElseThrow());
        }
        assertThat(finder(script, boot, Map.of("NVRC_VM_KERNEL", boot.resolve(names.get(0)).toString())))
                .isEqualTo(boot.resolve(names.get(0)).toString());
        Path empty = Files.createDirectory(boot.resolve("empty"));
        ProcessBuilder none = new ProcessBuilder(script.toString()).redirectErrorStream(true);
        none.environment().put("NVRC_BOOT_DIR", empty.toString());
        none.environment().remove("NVRC_VM_KERNEL");
        Process p = none.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(out.lines()).singleElement().asString().startsWith("guest-kernel: no Debian cloud kernel")
                .contains("apt-get install linux-image-cloud-amd64");
    }

    private static String finder(Path script, Path boot, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(script.toString());
        pb.environment().remove("NVRC_VM_KERNEL");
        pb.environment().put("NVRC_BOOT_DIR", boot.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    @Test
    void theKernelReleaseComesFromTheDebianFileName() {
        VmConfig debian = new VmConfig("q", Path.of("/boot/vmlinuz-6.1.0-57-cloud-amd64"), null, null, "", "tcg");
        assertThat(debian.kernelRelease()).hasValue("6.1.0-57-cloud-amd64");
        assertThat(new VmConfig("q", Path.of("/tmp/bzImage"), null, null, "", "tcg").kernelRelease()).isEmpty();
        assertThat(new VmConfig("q", Path.of("/boot/" + VmConfig.CLOUD_KERNELS), null, null, "", "tcg").kernelRelease())
                .isEmpty();
    }
}
