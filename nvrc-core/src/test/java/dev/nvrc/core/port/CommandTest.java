package dev.nvrc.core.port;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void ofUsesTheStandardEnvironment() {
        Command c = Command.of("modprobe", List.of("/sbin/modprobe", "nvidia"));
        assertThat(c.env()).isEqualTo(Command.DEFAULT_ENV).containsEntry("HOME", "/");
        assertThat(c.program()).isEqualTo("/sbin/modprobe");
        assertThat(c.commandLine()).isEqualTo("/sbin/modprobe nvidia");
    }

    @Test
    void argvZeroMustBeAnAbsolutePath() {
        assertThatThrownBy(() -> Command.of("modprobe", List.of("modprobe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute");
        assertThatThrownBy(() -> Command.of("nothing", List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void argvAndEnvAreCopied() {
        List<String> argv = new ArrayList<>(List.of("/bin/true"));
        Command c = new Command("true", argv, Map.of());
        argv.add("changed");
        assertThat(c.argv()).containsExactly("/bin/true");
        assertThatThrownBy(() -> c.argv().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
