package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.kernel.sandbox.Sandbox;
import dev.nvrc.kernel.sandbox.SandboxResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real launcher as PID 1 of a fresh user+pid+mount+net namespace entered from an
 * unprivileged uid (never the host's root).
 *
 * <p>The sandbox is not a VM: the host's /proc, /dev, /sys and /run are already mounted (so the
 * boot skips them), /dev/kmsg is not writable (the log falls back to the console), and the global
 * socket-buffer sysctls are refused. So the boot must get through its first steps as PID 1 and then
 * fail at {@code sysctl net.core.rmem_default} the only way it may: one {@code nvrc: FAILED} line,
 * then power-off, which in a PID namespace ends the namespace. The successful boot up to the
 * handoff is proven in the VM tests (nvrc-vmtest).
 */
class BootAsPidOneSandboxTest {
    @Test
    void theRealLauncherAsPidOneFailsCleanlyWhereTheSandboxRefusesAGlobalSysctl() throws Exception {
        Sandbox sandbox = Sandbox.require();
        SandboxResult result = sandbox.run(
                new Sandbox.Options(Sandbox.Position.PID1, Duration.ofSeconds(120), true, "dev.nvrc.launcher.Main"),
                "launcher-boot");
        String output = result.stdout() + result.stderr();
        List<String> failed = output.lines().filter(l -> l.contains("FAILED")).toList();
        assertThat(failed).as(output).containsExactly("nvrc: FAILED sysctl net.core.rmem_default: "
                + "cannot write '16777216' to /proc/sys/net/core/rmem_default: Permission denied");
        assertThat(output).doesNotContain("Exception in thread").doesNotContain("Kernel panic");
        // reboot(POWER_OFF) in a PID namespace kills its init: the namespace ended, the JVM did not exit by itself.
        assertThat(result.status().success()).as(result.status() + "\n" + output).isFalse();
    }
}
