package dev.nvrc.vmtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real NVIDIA tier's guest ({@code initramfs-real.img}, built when scripts/nvidia-real.sh has
 * prepared the cache), or a skip with the reason. Under {@code CI=true} a tier that was never
 * prepared, or prepared for another kernel, fails; one that could not be prepared (no network, no
 * package: the reason scripts/nvidia-real.sh recorded) skips, so CI does not fail for a mirror.
 */
final class RealNvidia {
    private RealNvidia() {}

    /** A VM that boots the real tier's initramfs. */
    static Vm vmOrSkip() {
        VmAvailability.vmOrSkip();
        VmConfig base = VmConfig.fromEnvironment();
        Path dir = base.initramfs().toAbsolutePath().getParent();
        Path image = dir.resolve("initramfs-real.img");
        Path unavailable = dir.resolve("real-unavailable.txt");
        boolean ci = "true".equals(System.getenv("CI"));
        if (!Files.isRegularFile(image)) {
            String why = read(unavailable).orElse("no " + image + " (run scripts/nvidia-real.sh as root, then build)");
            String reason = "real NVIDIA tier cannot run: " + why;
            System.out.println(reason);
            // Recorded by scripts/nvidia-real.sh: the packages could not be had here; anything else
            // means the tier was never prepared, which CI must not let pass.
            if (ci && why.startsWith("not prepared")) {
                Assertions.fail("CI=true, so an unprepared real tier is a failure: " + reason);
            }
            Assumptions.abort(reason);
        }
        String kernel = base.kernel().getFileName().toString().replaceFirst("^vmlinuz-", "");
        String manifest = read(dir.resolve("real.txt")).orElse("");
        if (!manifest.contains("kernel=" + kernel + "\n") && !manifest.endsWith("kernel=" + kernel)) {
            String reason = "real NVIDIA tier cannot run: its module was built for another kernel ("
                    + manifest.replace('\n', ' ').strip() + "), the VM boots " + base.kernel()
                    + " (run scripts/nvidia-real.sh again)";
            System.out.println(reason);
            if (ci) {
                Assertions.fail("CI=true: " + reason);
            }
            Assumptions.abort(reason);
        }
        return new Vm(new VmConfig(base.qemu(), base.kernel(), image, base.logs(), base.baseCmdline(), base.accel()));
    }

    private static java.util.Optional<String> read(Path file) {
        try {
            return java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }
}
