package dev.nvrc.kernel.process;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.port.ExitStatus;
import org.junit.jupiter.api.Test;

class WaitStatusTest {
    @Test
    void decodesExitCodesAndSignals() {
        assertThat(WaitStatus.decode(0)).isEqualTo(ExitStatus.exited(0));
        assertThat(WaitStatus.decode(0x0300)).isEqualTo(ExitStatus.exited(3));
        assertThat(WaitStatus.decode(0xff00)).isEqualTo(ExitStatus.exited(255));
        assertThat(WaitStatus.decode(9)).isEqualTo(ExitStatus.killed(9));
        // SIGSEGV with the core-dump bit (0x80).
        assertThat(WaitStatus.decode(0x8b)).isEqualTo(ExitStatus.killed(11));
    }
}
