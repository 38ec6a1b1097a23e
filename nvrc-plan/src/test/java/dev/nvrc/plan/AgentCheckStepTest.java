package dev.nvrc.plan;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.testkit.FakePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** In the boot the check fails the step, so the VM powers off before any GPU work. */
class AgentCheckStepTest {
    @TempDir
    Path root;

    private void run() throws BootFailure {
        AgentCheckStep.on(NvrcPaths.under(root)).run(new FakePorts().context(BootConfig.defaults(), NvrcPaths.under(root)));
    }

    @Test
    void aMissingAgentFailsTheBootStep() {
        assertThatThrownBy(this::run).isInstanceOf(BootFailure.class)
                .hasMessageEndingWith("does not exist: the image must ship kata-agent, which the boot hands PID 1 to");
    }

    @Test
    void aNonExecutableAgentFailsAndAnExecutableOnePasses() throws Exception {
        Path agent = Files.createDirectories(root.resolve("usr/bin")).resolve("kata-agent");
        Files.writeString(agent, "");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(this::run).isInstanceOf(BootFailure.class).hasMessageEndingWith("is not executable (mode rw-r--r--)");
        Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwx------"));
        assertThatCode(this::run).doesNotThrowAnyException();
    }

    @Test
    void aLinkToTheAgentIsFollowedAndADanglingOneFails() throws Exception {
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Path real = Files.writeString(root.resolve("agent-real"), "");
        Files.setPosixFilePermissions(real, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createSymbolicLink(bin.resolve("kata-agent"), real);
        assertThatCode(this::run).doesNotThrowAnyException();
        Files.delete(real);
        assertThatThrownBy(this::run).isInstanceOf(BootFailure.class).hasMessageContaining("does not exist");
    }
}
