package dev.nvrc.kernel.syslog;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.port.SyslogSink;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.Native;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The syslog socket itself: the queue length it is created with, and the unix datagram socket
 * made with socket(2) and bind(2) through the libc binding (the JDK has no AF_UNIX datagrams;
 * jnr-unixsocket would add its own native set-up to the boot's critical path for the same three
 * calls). Also the one-shot sender the sink uses to reach its own reader.
 */
final class SyslogSocket {
    /** See {@link SyslogSink#BOOT_MAX_DGRAM_QLEN}. */
    static final int BOOT_MAX_DGRAM_QLEN = SyslogSink.BOOT_MAX_DGRAM_QLEN;
    private static final String QLEN_KEY = "net.unix.max_dgram_qlen";
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;

    private SyslogSocket() {}

    /** Raises net.unix.max_dgram_qlen to at least {@code length}. */
    static void raiseQueueLength(Sysctl sysctl, int length) throws BootFailure {
        String current = sysctl.read(QLEN_KEY);
        try {
            if (Long.parseLong(current) >= length) {
                return;
            }
        } catch (NumberFormatException e) {
            throw new BootFailure("sysctl " + QLEN_KEY + ": expected a number, read '" + current + "'", e);
        }
        sysctl.write(QLEN_KEY, Integer.toString(length));
    }

    /**
     * A close-on-exec datagram socket bound to {@code path} (mode 0666) with SO_RCVBUF raised to
     * {@code receiveBufferBytes} when positive; its descriptor.
     */
    static int bind(Path path, int receiveBufferBytes) throws BootFailure {
        int fd = CheckedLibC.socket("syslog: cannot create a unix datagram socket", AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            byte[] address = StdioSocket.pathAddress(path.toString());
            CheckedLibC.bind("syslog: cannot bind " + path, fd, address, address.length);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
            // The kernel caps it at net.core.rmem_max without complaint.
            if (receiveBufferBytes > 0) {
                CheckedLibC.setsockopt("syslog: cannot set SO_RCVBUF on " + path, fd, SOL_SOCKET, SO_RCVBUF,
                        new int[] {receiveBufferBytes}, Integer.BYTES);
            }
            return fd;
        } catch (BootFailure e) {
            Native.libc().close(fd);
            throw e;
        } catch (IOException | RuntimeException e) {
            Native.libc().close(fd);
            throw new BootFailure("syslog: cannot bind " + path + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code datagram} to {@code path} from a fresh unbound socket; a failure says {@code what}. */
    static void send(Path path, byte[] datagram, String what) throws BootFailure {
        int sender = CheckedLibC.socket(what + ": socket", AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            byte[] address = StdioSocket.pathAddress(path.toString());
            CheckedLibC.sendto(what, sender, datagram, datagram.length, 0, address, address.length);
        } finally {
            Native.libc().close(sender);
        }
    }
}
