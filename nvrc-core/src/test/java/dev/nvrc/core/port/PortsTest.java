package dev.nvrc.core.port;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PortsTest {
    @Test
    void everyPortIsRequired() {
        assertThatThrownBy(() -> new Ports(null, null, null, null, null, null, null))
                .isInstanceOf(NullPointerException.class).hasMessage("mounts");
    }

    @Test
    void aMountNeedsSourceTargetAndType() {
        assertThatThrownBy(() -> new MountRequest("proc", null, "proc", MountFlags.COMMON, null, false))
                .isInstanceOf(NullPointerException.class).hasMessage("target");
    }
}
