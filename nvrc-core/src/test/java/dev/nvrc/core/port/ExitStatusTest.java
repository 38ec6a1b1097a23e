package dev.nvrc.core.port;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExitStatusTest {
    @Test
    void onlyExitCodeZeroIsSuccess() {
        assertThat(ExitStatus.exited(0).success()).isTrue();
        assertThat(ExitStatus.exited(1).success()).isFalse();
        assertThat(ExitStatus.killed(9).success()).isFalse();
    }

    @Test
    void readsLikeAPersonWouldSayIt() {
        assertThat(ExitStatus.exited(2)).hasToString("exit code 2");
        assertThat(ExitStatus.killed(11)).hasToString("killed by signal 11");
    }
}
