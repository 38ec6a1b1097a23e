package dev.nvrc.vmtest;

import dev.nvrc.core.Arch;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What a VM boot needs: QEMU, a kernel, the guest initramfs, where to keep consoles. Each comes
 * from a system property or else an environment variable ({@code nvrc.vm.kernel} /
 * {@code NVRC_VM_KERNEL}, ...), else a default.
 *
 * @param qemu the QEMU program (a name looked up on PATH, or a path)
 * @param kernel the guest kernel
 * @param initramfs the guest initramfs (nvrc-vmtest's build makes target/vm/initramfs.img)
 * @param logs where each boot's console is saved, or null
 * @param baseCmdline what every boot's kernel command line starts with
 * @param accel QEMU's accelerator: {@code tcg} by default ({@code nvrc.vm.accel=kvm} to use KVM;
 *     not the default because a /dev/kvm that exists can still be unusable, as in nested guests
 *     without VMX, where the guest dies with "KVM internal error")
 * @param arch the guest's architecture ({@code nvrc.arch}, this machine's by default): QEMU's
 *     program and machine, the console, and where the kernel is looked for follow from it
 */
public record VmConfig(String qemu, Path kernel, Path initramfs, Path logs, String baseCmdline, String accel, Arch arch) {
    /** The Debian cloud kernel the tests were measured with (shared/notes/vm-testing.md). */
    public static final String DEFAULT_KERNEL = "/boot/vmlinuz-6.1.0-56-cloud-amd64";
    /**
     * Serial console; panic=-1 reboots at once on a panic, which -no-reboot turns into QEMU's
     * exit; quiet keeps the console short and loglevel=5 still shows warnings, such as the
     * simulated tools' NVSIM lines written to /dev/kmsg.
     */
    public static final String BASE_CMDLINE = "console=ttyS0 panic=-1 quiet loglevel=5";

    /**
     * How many times longer a guest of another architecture takes than one of this machine's
     * under TCG: measured 5 (an arm64 gpu boot 47 s, x86_64 9 s, on the same x86_64 host); the
     * scenarios' timeouts are scaled by it, the checks stay the same.
     */
    public static final int EMULATED_SLOWDOWN = 5;

    /** A guest of this machine's architecture. */
    public VmConfig(String qemu, Path kernel, Path initramfs, Path logs, String baseCmdline, String accel) {
        this(qemu, kernel, initramfs, logs, baseCmdline, accel, Arch.current());
    }

    /** The configuration from system properties, the environment and the defaults. */
    public static VmConfig fromEnvironment() {
        return from(System::getProperty, System.getenv());
    }

    static VmConfig from(Function<String, String> properties, Map<String, String> env) {
        Function<String, Optional<String>> setting = key -> Optional.ofNullable(properties.apply(key))
                .or(() -> Optional.ofNullable(env.get(key.toUpperCase(java.util.Locale.ROOT).replace('.', '_'))))
                .filter(v -> !v.isBlank());
        Arch arch = setting.apply("nvrc.arch").map(a -> Arch.of(a).orElseThrow(() -> new IllegalArgumentException(
                "nvrc.arch=" + a + ": unknown architecture (known: " + Arch.names() + ")"))).orElseGet(Arch::current);
        String qemu = setting.apply("nvrc.vm.qemu").orElse("qemu-system-" + arch.id());
        Path cache = setting.apply("nvrc.arch.cache").map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "nvrc", "arch"));
        Path kernel = setting.apply("nvrc.vm.kernel").map(Path::of)
                .orElseGet(() -> arch == Arch.current() ? defaultKernel() : fetchedKernel(cache.resolve(arch.id())));
        Path initramfs = Path.of(setting.apply("nvrc.vm.initramfs").orElse("target/vm/initramfs.img"));
        Path logs = setting.apply("nvrc.vm.logs").map(Path::of).orElse(null);
        String accel = setting.apply("nvrc.vm.accel").orElse("tcg");
        return new VmConfig(qemu, kernel, initramfs, logs, baseCmdline(arch), accel, arch);
    }

    /** {@link #BASE_CMDLINE} with the console of {@code arch}'s QEMU machine (ttyAMA0: virt's PL011). */
    public static String baseCmdline(Arch arch) {
        return arch == Arch.AARCH64 ? BASE_CMDLINE.replace("console=ttyS0", "console=ttyAMA0") : BASE_CMDLINE;
    }

    /**
     * Another architecture's kernel: the newest Debian cloud kernel scripts/fetch-arch.sh unpacked
     * into {@code archCache} ({@code root/boot/vmlinuz-*}), the same rule as for this machine's
     * kernel with the fetch standing in for the install. The fetch finds the newest version and
     * replaces the cache, so there is one; the greatest name wins should there be more.
     */
    static Path fetchedKernel(Path archCache) {
        Path boot = archCache.resolve("root").resolve("boot");
        try (Stream<Path> files = Files.list(boot)) {
            return files.filter(p -> name(p).startsWith("vmlinuz-") && name(p).contains("-cloud-"))
                    .max(Comparator.comparing(VmConfig::name)).orElse(boot.resolve("vmlinuz"));
        } catch (java.io.IOException | RuntimeException e) {
            return boot.resolve("vmlinuz");
        }
    }

    /** True when the guest is of another architecture than this machine: QEMU emulates its CPU. */
    public boolean emulated() {
        return arch != Arch.current();
    }

    /** The Debian cloud kernel if present, else the newest /boot/vmlinuz-*. */
    static Path defaultKernel() {
        Path preferred = Path.of(DEFAULT_KERNEL);
        if (Files.exists(preferred)) {
            return preferred;
        }
        try (Stream<Path> boot = Files.list(Path.of("/boot"))) {
            return boot.filter(p -> name(p).startsWith("vmlinuz-")).max(Comparator.comparing(VmConfig::name))
                    .orElse(preferred);
        } catch (java.io.IOException | RuntimeException e) {
            return preferred;
        }
    }

    private static String name(Path p) {
        Path name = p.getFileName();
        return name == null ? "" : name.toString();
    }

    /** Why a VM cannot be booted with this configuration; empty when it can. */
    public List<String> missing() {
        List<String> reasons = new ArrayList<>();
        if (resolveQemu().isEmpty()) {
            reasons.add("QEMU (" + qemu + ") not found (Debian: apt-get install qemu-system-"
                    + (arch == Arch.AARCH64 ? "arm" : "x86") + ")");
        }
        if (!Files.isReadable(kernel)) {
            String get = emulated() ? "scripts/fetch-arch.sh " + arch.id() : "apt-get install linux-image-cloud-" + arch.debian();
            reasons.add("kernel " + kernel + (Files.exists(kernel) ? " not readable (run as root, or set nvrc.vm.kernel)"
                    : " missing (Debian: " + get + ", or set nvrc.vm.kernel)"));
        }
        if (!Files.isReadable(initramfs)) {
            reasons.add("guest initramfs " + initramfs + " missing (built by nvrc-vmtest in pre-integration-test: mvn verify)");
        }
        return reasons;
    }

    /** The QEMU program's path, if it exists. */
    Optional<Path> resolveQemu() {
        if (qemu.contains("/")) {
            Path p = Path.of(qemu);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Stream.of(path.split(File.pathSeparator)).filter(d -> !d.isEmpty()).map(d -> Path.of(d, qemu))
                .filter(Files::isExecutable).findFirst();
    }
}
