package dev.nvrc.kernel.syslog;

import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.log.KernelLog;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes syslog messages to the kernel log on its own thread, so that a slow /dev/kmsg never
 * slows the socket reader (and through it the daemons). The queue is bounded: when it is full a
 * message is dropped from forwarding and counted, and the count is logged once the writer catches
 * up.
 */
final class KmsgForwarder {
    private static final String STOP = new String("stop");

    private final BlockingQueue<String> queue;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private long reportedDrops;
    private Thread thread;

    KmsgForwarder(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    synchronized void start() {
        if (thread == null) {
            thread = new Thread(this::run, "nvrc-syslog-kmsg");
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** Queues {@code text} when debug logging is on; never blocks. */
    void offer(String text) {
        if (!KernelLog.enabled(LogLevel.DEBUG)) {
            return;
        }
        if (!queue.offer(text)) {
            dropped.incrementAndGet();
        }
    }

    long forwarded() {
        return forwarded.get();
    }

    long dropped() {
        return dropped.get();
    }

    /** Writes what is queued, then stops; waits up to {@code millis}. */
    void stop(long millis) {
        Thread t;
        synchronized (this) {
            t = thread;
            thread = null;
        }
        if (t == null) {
            return;
        }
        try {
            if (queue.offer(STOP, millis, TimeUnit.MILLISECONDS)) {
                t.join(millis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (true) {
                String text = queue.take();
                if (text == STOP) {
                    reportDrops();
                    return;
                }
                KernelLog.log(LogLevel.DEBUG, "syslog: " + text);
                forwarded.incrementAndGet();
                if (queue.isEmpty()) {
                    reportDrops();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void reportDrops() {
        long total = dropped.get();
        if (total > reportedDrops) {
            KernelLog.log(LogLevel.WARN, "syslog: " + (total - reportedDrops)
                    + " messages were not written to the kernel log (writer queue full; markers and recent messages unaffected)");
            reportedDrops = total;
        }
    }
}
