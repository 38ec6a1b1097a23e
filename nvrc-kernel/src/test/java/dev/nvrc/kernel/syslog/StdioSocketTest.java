package dev.nvrc.kernel.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class StdioSocketTest {
    @Test
    void anAbstractAddressNamesTheDaemonAndIsReadBack() {
        byte[] a = StdioSocket.abstractAddress("nvidia-persistenced:7");
        assertThat(a[0]).isEqualTo((byte) 1);
        assertThat(a[1]).isZero();
        assertThat(a[2]).isZero();
        assertThat(StdioSocket.daemonOf(Arrays.copyOf(a, 110), a.length)).isEqualTo("nvidia-persistenced");
        byte[] colon = StdioSocket.abstractAddress("a:b:12");
        assertThat(StdioSocket.daemonOf(colon, colon.length)).isEqualTo("a:b");
    }

    @Test
    void otherSendersAreNotDaemonOutput() {
        assertThat(StdioSocket.daemonOf(new byte[110], 2)).isNull(); // unbound: family only
        byte[] path = StdioSocket.pathAddress("/dev/log");
        assertThat(StdioSocket.daemonOf(path, path.length)).isNull();
        byte[] other = StdioSocket.abstractAddress("x");
        other[4] = 'X'; // "\0nXrc-stdio:..."
        assertThat(StdioSocket.daemonOf(other, other.length)).isNull();
        assertThat(StdioSocket.daemonOf(other, 500)).isNull();
    }

    @Test
    void aPathAddressIsNulTerminatedAndBounded() {
        byte[] p = StdioSocket.pathAddress("/dev/log");
        assertThat(p).hasSize(2 + 8 + 1);
        assertThat(p[p.length - 1]).isZero();
        assertThatThrownBy(() -> StdioSocket.pathAddress("/" + "x".repeat(120))).isInstanceOf(IllegalArgumentException.class);
    }
}
