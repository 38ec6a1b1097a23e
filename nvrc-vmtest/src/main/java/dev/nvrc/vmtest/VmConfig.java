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
 * @param kernel the guest kernel: {@code nvrc.vm.kernel} / {@code NVRC_VM_KERNEL}, else the newest
 *     Debian cloud kernel ({@link #defaultKernel})
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
    /** Where Debian installs kernels. */
    static final String BOOT = "/boot";
    /** What {@link #kernel} is when no Debian cloud kernel is installed: the pattern, for messages. */
    static final String CLOUD_KERNELS = "vmlinuz-*-cloud-amd64";

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
                .orElseGet(() -> arch == Arch.current() ? defaultKernel() : fetchedKernel(cache.resolve(arch.id()), arch));
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
     * kernel with the fetch standing in for the install (and the same version order, should
     * there be more than the one the fetch leaves).
     */
    static Path fetchedKernel(Path archCache, Arch arch) {
        Path boot = archCache.resolve("root").resolve("boot");
        String flavour = "-cloud-" + arch.debian();
        return newestCloudKernel(boot, flavour).orElse(boot.resolve("vmlinuz-*" + flavour));
    }

    /** True when the guest is of another architecture than this machine: QEMU emulates its CPU. */
    public boolean emulated() {
        return arch != Arch.current();
    }

    /**
     * The newest installed Debian cloud kernel ({@code /boot/vmlinuz-*-cloud-amd64}, by version),
     * or the pattern itself when there is none, which {@link #missing} then reports. The same rule
     * as scripts/guest-kernel.sh (the scripts and the initramfs build use that), which
     * {@code nvrc.vm.kernel} / {@code NVRC_VM_KERNEL} overrides; VmConfigTest checks that the two
     * pick the same file.
     */
    static Path defaultKernel() {
        Path boot = Path.of(BOOT);
        return newestCloudKernel(boot).orElse(boot.resolve(CLOUD_KERNELS));
    }

    /** The newest {@code vmlinuz-*-cloud-amd64} in {@code boot}, comparing versions as {@code sort -V} does. */
    static Optional<Path> newestCloudKernel(Path boot) {
        return newestCloudKernel(boot, "-cloud-amd64");
    }

    /** The newest {@code vmlinuz-*<flavour>} in {@code boot} ({@code -cloud-arm64}), by version. */
    static Optional<Path> newestCloudKernel(Path boot, String flavour) {
        try (Stream<Path> files = Files.list(boot)) {
            return files.filter(p -> name(p).startsWith("vmlinuz-") && name(p).endsWith(flavour))
                    .max(Comparator.comparing(VmConfig::name, VmConfig::compareVersions));
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Natural order: runs of digits compare as numbers, everything else character by character. */
    static int compareVersions(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int ei = i;
                int ej = j;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = a.substring(i, ei).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(j, ej).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /**
     * The kernel release of {@link #kernel}, read from its Debian file name ({@code vmlinuz-<release>}),
     * to find its modules under {@code /lib/modules/<release>}; empty for a kernel named otherwise.
     */
    public Optional<String> kernelRelease() {
        String n = kernel == null ? "" : name(kernel);
        return n.startsWith("vmlinuz-") && !n.contains("*") ? Optional.of(n.substring("vmlinuz-".length())) : Optional.empty();
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
            reasons.add("kernel " + kernel + (Files.exists(kernel) ? " not readable (run as root, or set NVRC_VM_KERNEL)"
                    : " missing (Debian: " + get + ", or set NVRC_VM_KERNEL)"));
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
