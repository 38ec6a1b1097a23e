package dev.nvrc.vmtest;

import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** Decides whether VM tests can run here; a skip under CI=true is a failure (DESIGN.md). */
final class VmAvailability {
    private VmAvailability() {}

    /** A VM launcher, or the test is skipped (with the reason printed) or failed under CI=true. */
    static Vm vmOrSkip() {
        VmConfig config = VmConfig.fromEnvironment();
        List<String> missing = config.missing();
        if (!missing.isEmpty()) {
            String reason = "VM tests cannot run: " + String.join("; ", missing);
            System.out.println(reason);
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a skipped VM test is a failure: " + reason);
            }
            Assumptions.abort(reason);
        }
        return new Vm(config);
    }
}
