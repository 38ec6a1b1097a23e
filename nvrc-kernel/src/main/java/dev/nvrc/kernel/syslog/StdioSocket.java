package dev.nvrc.kernel.syslog;

import dev.nvrc.core.BootFailure;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A daemon's stdout and stderr as a unix datagram socket connected to the syslog socket, so that
 * what it prints reaches the sink like what it logs: every write(2) is one datagram.
 *
 * <p>Why not a pipe: daemons outlive the JVM, and a pipe nobody reads after the handoff would block
 * them (or kill them with SIGPIPE). The syslog socket is read until the handoff by the sink and
 * after it by the drainer, so a daemon's output is never stuck, and a daemon that dies before its
 * readiness marker has its own words (an {@code unrecognized option} on stderr) in the failure.
 *
 * <p>The socket is bound to an abstract address that names the daemon ({@code \0nvrc-stdio:NAME:N}),
 * which the sink gets with every datagram from recvmmsg(2): syslog(3) clients send from unbound
 * sockets, so nothing else carries such a name.
 */
public final class StdioSocket {
    /** The abstract name's prefix (after the leading NUL). */
    static final String PREFIX = "nvrc-stdio:";
    /** {@code sizeof(struct sockaddr_un)}. */
    static final int SOCKADDR_UN_SIZE = 110;
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final byte[] PREFIX_BYTES = PREFIX.getBytes(StandardCharsets.US_ASCII);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private StdioSocket() {}

    /**
     * A new socket (close-on-exec) bound to the name of {@code daemon} and connected to
     * {@code syslogSocket}; the caller hands it to the child as descriptors 1 and 2 and closes it.
     */
    static int open(Path syslogSocket, String daemon) throws BootFailure {
        int fd = CheckedLibC.socket("cannot create the output socket of " + daemon + ": socket", AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        byte[] local = abstractAddress(daemon + ":" + SEQUENCE.incrementAndGet());
        byte[] peer = pathAddress(syslogSocket.toString());
        String what = "cannot connect the output of " + daemon + " to " + syslogSocket;
        try {
            CheckedLibC.bind(what, fd, local, local.length);
            CheckedLibC.connect(what, fd, peer, peer.length);
        } catch (BootFailure e) {
            Native.libc().close(fd);
            throw e;
        }
        return fd;
    }

    /** {@code struct sockaddr_un} with an abstract name: family, NUL, the name (no terminator). */
    static byte[] abstractAddress(String name) {
        byte[] n = (PREFIX + name).getBytes(StandardCharsets.UTF_8);
        byte[] a = new byte[Math.min(SOCKADDR_UN_SIZE, 3 + n.length)];
        a[0] = AF_UNIX; // sa_family_t, little-endian on the architectures nvrc runs on
        System.arraycopy(n, 0, a, 3, a.length - 3);
        return a;
    }

    /** {@code struct sockaddr_un} with a path, NUL-terminated. */
    static byte[] pathAddress(String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= SOCKADDR_UN_SIZE - 2) {
            throw new IllegalArgumentException("socket path too long: " + path);
        }
        byte[] a = new byte[2 + p.length + 1];
        a[0] = AF_UNIX;
        System.arraycopy(p, 0, a, 2, p.length);
        return a;
    }

    /**
     * The daemon name in a sender address from recvmmsg(2), or null when the sender is not one of
     * these sockets (an unbound syslog(3) client, the sink's own control messages).
     */
    static String daemonOf(byte[] address, int length) {
        int start = 3 + PREFIX_BYTES.length;
        if (length <= start || length > address.length || address[2] != 0
                || !Arrays.equals(address, 3, start, PREFIX_BYTES, 0, PREFIX_BYTES.length)) {
            return null;
        }
        int end = length;
        for (int i = length - 1; i >= start; i--) {
            if (address[i] == ':') {
                end = i;
                break;
            }
        }
        return new String(address, start, end - start, StandardCharsets.UTF_8);
    }
}
