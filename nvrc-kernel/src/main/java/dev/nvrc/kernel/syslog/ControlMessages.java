package dev.nvrc.kernel.syslog;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.log.KernelLog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sink's messages to its own reader, sent through the socket so that they queue behind every
 * datagram already there: stop ({@code S}), and the barrier of {@link LinuxSyslogSink#sync}
 * ({@code B<n>}), which the reader acknowledges by counting down the waiter's latch. Each starts
 * with a nonce only this sink knows, so no daemon can stop the reader.
 */
final class ControlMessages {
    private final Path path;
    private final byte[] prefix;
    private final Map<Long, CountDownLatch> barriers = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    /** Control messages for the socket at {@code path}. */
    ControlMessages(Path path) {
        this.path = path;
        // Not secret, only unique: SecureRandom could block on an entropy-starved early-boot VM.
        this.prefix = ("\0nvrc-syslog-control:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** True when the first {@code n} bytes are one of ours. */
    boolean isControl(byte[] bytes, int n) {
        return n > prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Handles one of ours on the reader thread; returns true when the reader must stop. */
    boolean handle(byte[] bytes, int n) {
        String body = new String(bytes, prefix.length, n - prefix.length, StandardCharsets.US_ASCII);
        if (body.equals("S")) {
            return true;
        }
        if (body.startsWith("B")) {
            try {
                CountDownLatch latch = barriers.get(Long.parseLong(body.substring(1)));
                if (latch != null) {
                    latch.countDown();
                }
            } catch (NumberFormatException e) {
                // not ours after all
            }
        }
        return false;
    }

    /** Queues the stop message; false when it could not be sent. */
    boolean sendStop() {
        return send(new byte[] {'S'});
    }

    /**
     * Queues a barrier and waits until the reader has handled it; false when it could not be sent
     * or the reader did not get there within {@code timeout}.
     */
    boolean barrier(Duration timeout) {
        long n = sequence.incrementAndGet();
        CountDownLatch latch = new CountDownLatch(1);
        barriers.put(n, latch);
        try {
            byte[] body = ("B" + n).getBytes(StandardCharsets.US_ASCII);
            return send(body) && latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            barriers.remove(n);
        }
    }

    private boolean send(byte[] body) {
        byte[] datagram = Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, datagram, prefix.length, body.length);
        try {
            SyslogSocket.send(path, datagram, "syslog: cannot send a control message to " + path);
            return true;
        } catch (BootFailure e) {
            KernelLog.log(LogLevel.WARN, e.getMessage());
            return false;
        }
    }
}
