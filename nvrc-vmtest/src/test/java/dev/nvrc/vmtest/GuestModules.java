package dev.nvrc.vmtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real kernel modules the initramfs carries for the nvrc.modules scenarios: build-initramfs.sh
 * copies them from {@code /lib/modules/<release>} of the guest kernel scripts/guest-kernel.sh finds
 * and writes {@code target/vm/guest-modules.txt} ({@code <release> <module>...}). A module only
 * loads into the kernel it was built for, so a VM booting another kernel skips the scenario.
 */
final class GuestModules {
    private GuestModules() {}

    /** The first carried module, or the test is skipped (failed under CI=true) saying why. */
    static String orSkip(Vm vm) {
        Path list = vm.config().initramfs().resolveSibling("guest-modules.txt");
        String reason;
        try {
            String[] fields = Files.isRegularFile(list)
                    ? Files.readString(list, StandardCharsets.UTF_8).strip().split("\\s+") : new String[0];
            String release = vm.config().kernelRelease().orElse("?");
            if (fields.length < 2) {
                reason = "the initramfs carries no kernel modules (" + list + " missing: no Debian cloud kernel's "
                        + "/lib/modules when it was built)";
            } else if (!fields[0].equals(release)) {
                reason = "the initramfs carries modules of " + fields[0] + " but the VM boots " + vm.config().kernel();
            } else {
                return fields[1];
            }
        } catch (IOException e) {
            reason = "cannot read " + list + ": " + e.getMessage();
        }
        System.out.println("nvrc.modules VM scenario skipped: " + reason);
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("CI=true, so a skipped VM test is a failure: " + reason);
        }
        Assumptions.abort(reason);
        return null;
    }
}
