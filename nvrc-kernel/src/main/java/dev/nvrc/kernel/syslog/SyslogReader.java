package dev.nvrc.kernel.syslog;

import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.libc.ErrnoText;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.log.KernelLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/**
 * The reader thread: blocks in recvmmsg(2) ({@link DatagramBatch}) and handles each datagram in
 * the order it came. The sender's address tells a daemon's stdout/stderr ({@link StdioSocket})
 * from syslog(3) datagrams; the sink's own {@link ControlMessages} are answered here. A stop
 * message ends the loop after the rest of its batch is handled: what the kernel already gave the
 * reader must not be lost to the drainer.
 */
final class SyslogReader implements Runnable {
    private static final int EINTR = 4;
    /** Consecutive receive errors after which the reader gives up. */
    private static final int MAX_CONSECUTIVE_ERRORS = 100;

    private final Path path;
    private final int fd;
    private final DatagramBatch batch;
    private final int maxDatagramBytes;
    private final ControlMessages control;
    private final MessageDispatch dispatch;
    private final IntSupplier currentSocket;
    private final AtomicLong receiveErrors;

    /**
     * A reader of {@code fd}, which ends quietly once {@code currentSocket} no longer returns
     * {@code fd} (the sink closed it), counting receive errors in {@code receiveErrors}.
     */
    SyslogReader(Path path, int fd, DatagramBatch batch, int maxDatagramBytes, ControlMessages control,
            MessageDispatch dispatch, IntSupplier currentSocket, AtomicLong receiveErrors) {
        this.path = path;
        this.fd = fd;
        this.batch = batch;
        this.maxDatagramBytes = maxDatagramBytes;
        this.control = control;
        this.dispatch = dispatch;
        this.currentSocket = currentSocket;
        this.receiveErrors = receiveErrors;
    }

    /** Starts the reader on a daemon thread named nvrc-syslog. */
    Thread start() {
        Thread t = new Thread(this, "nvrc-syslog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void run() {
        byte[] bytes = new byte[maxDatagramBytes];
        byte[] sender = new byte[StdioSocket.SOCKADDR_UN_SIZE];
        int consecutiveErrors = 0;
        while (true) {
            int count = batch.receive(fd);
            if (count < 0) {
                int errno = Native.errno();
                if (currentSocket.getAsInt() != fd) {
                    return;
                }
                if (errno == EINTR) {
                    continue;
                }
                receiveErrors.incrementAndGet();
                if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                    KernelLog.log(LogLevel.ERROR, "syslog: giving up reading " + path + " after "
                            + consecutiveErrors + " errors in a row: " + ErrnoText.of(errno));
                    return;
                }
                continue;
            }
            consecutiveErrors = 0;
            if (handleBatch(count, bytes, sender)) {
                return;
            }
        }
    }

    /** Handles {@code count} received datagrams; returns true when one of them was the stop message. */
    private boolean handleBatch(int count, byte[] bytes, byte[] sender) {
        boolean stop = false;
        for (int i = 0; i < count; i++) {
            int length = batch.length(i);
            batch.copyData(i, bytes, length);
            if (control.isControl(bytes, length)) {
                stop |= control.handle(bytes, length);
                continue;
            }
            int senderLength = batch.senderLength(i);
            String stdio = null;
            if (senderLength > 2) {
                batch.copySender(i, sender, senderLength);
                stdio = StdioSocket.daemonOf(sender, senderLength);
            }
            if (stdio != null) {
                dispatch.output(stdio, new String(bytes, 0, length, StandardCharsets.UTF_8));
            } else {
                dispatch.syslog(SyslogText.clean(bytes, length));
            }
        }
        return stop;
    }
}
