package dev.nvrc.kernel.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.kernel.Pid1Guard;
import org.junit.jupiter.api.Test;

class InterfaceRequestTest {
    @Test
    void holdsTheNulTerminatedNameAndTheFlagsAfterIt() {
        InterfaceRequest r = new InterfaceRequest("lo");
        assertThat(r.bytes()).hasSize(40);
        assertThat(r.bytes()[0]).isEqualTo((byte) 'l');
        assertThat(r.bytes()[2]).isZero();
        r.flags(0xffff);
        assertThat(r.flags()).isEqualTo(0xffff);
        r.flags(LinuxNetwork.IFF_UP | LinuxNetwork.IFF_RUNNING | LinuxNetwork.IFF_LOOPBACK);
        assertThat(r.flags()).isEqualTo(0x49);
    }

    @Test
    void namesMustFitIfnamsiz() {
        assertThatThrownBy(() -> new InterfaceRequest("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new InterfaceRequest("a-sixteen-chars!")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new InterfaceRequest("fifteen-chars-x").bytes()[14]).isEqualTo((byte) 'x');
    }

    @Test
    void readingFlagsNeedsNoPid1() throws BootFailure {
        LinuxNetwork net = new LinuxNetwork(Pid1Guard.system());
        assertThat(net.flags("lo") & LinuxNetwork.IFF_LOOPBACK).isEqualTo(LinuxNetwork.IFF_LOOPBACK);
        assertThatThrownBy(() -> net.flags("nvrc-none0")).hasMessage("ioctl SIOCGIFFLAGS on interface nvrc-none0: ENODEV (No such device)");
    }
}
