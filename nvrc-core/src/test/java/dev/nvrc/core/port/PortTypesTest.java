package dev.nvrc.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortTypesTest {
    @Test
    void commandNeedsAnAbsoluteProgram() {
        Command c = Command.of("nvidia-smi", List.of("/bin/nvidia-smi", "-lgc", "1500"));
        assertThat(c.program()).isEqualTo("/bin/nvidia-smi");
        assertThat(c.commandLine()).isEqualTo("/bin/nvidia-smi -lgc 1500");
        assertThat(c.env()).containsEntry("HOME", "/").containsKey("PATH");
        assertThatThrownBy(() -> Command.of("x", List.of("nvidia-smi"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Command.of("x", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void commandCopiesItsInputs() {
        List<String> argv = new java.util.ArrayList<>(List.of("/bin/true"));
        Command c = new Command("true", argv, Map.of());
        argv.add("changed");
        assertThat(c.argv()).containsExactly("/bin/true");
    }

    @Test
    void exitStatusDescribesItself() {
        assertThat(ExitStatus.exited(0).success()).isTrue();
        assertThat(ExitStatus.exited(3).success()).isFalse();
        assertThat(ExitStatus.killed(9).success()).isFalse();
        assertThat(ExitStatus.exited(3)).hasToString("exit code 3");
        assertThat(ExitStatus.killed(9)).hasToString("killed by signal 9");
    }

    @Test
    void mountRequestAndFlags() {
        MountRequest r = new MountRequest("proc", "/proc", "proc", MountFlags.COMMON, null, false);
        assertThat(r.flags()).isEqualTo(0x20000EL);
        assertThatThrownBy(() -> new MountRequest(null, "/x", "tmpfs", 0, null, false))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void portsRequireEveryPort() {
        assertThatThrownBy(() -> new Ports(null, null, null, null, null, null, null)).isInstanceOf(NullPointerException.class);
    }
}
