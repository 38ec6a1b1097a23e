package dev.nvrc.kernel.syslog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sends a burst of syslog-shaped datagrams from several threads and measures the senders. */
public final class Burst {
    private Burst() {}

    private static long percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
    }

    /** {@code total} messages from {@code senders} threads to {@code socket}, read by {@code sink}. */
    public static BurstResult run(Path socket, LinuxSyslogSink sink, int senders, int total) throws Exception {
        long receivedBefore = sink.stats().received();
        long forwardedBefore = sink.stats().forwarded();
        long droppedBefore = sink.stats().forwardDropped();
        List<DatagramSender> clients = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int each = total / senders;
        List<Throwable> errors = new ArrayList<>();
        for (int t = 0; t < senders; t++) {
            DatagramSender s = new DatagramSender(socket);
            s.recordSamples(each);
            clients.add(s);
            int id = t;
            threads.add(new Thread(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        s.send(("<30>Nov 25 10:00:00 burst-" + id + "[" + (100 + id) + "]: message " + i
                                + " of a burst, about as long as a daemon's line").getBytes(StandardCharsets.UTF_8));
                    }
                } catch (Exception e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                }
            }, "burst-sender-" + t));
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            t.join();
        }
        if (!sink.sync(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the sink did not catch up with the burst within 60 s");
        }
        long wall = System.nanoTime() - start;
        // With debug logging on, let the kernel-log writer finish what it queued so that
        // forwarded + dropped adds up to what was received.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean forwarding = dev.nvrc.kernel.log.KernelLog.enabled(dev.nvrc.core.cmdline.LogLevel.DEBUG);
        while (forwarding && System.nanoTime() < deadline
                && sink.stats().forwarded() + sink.stats().forwardDropped() - forwardedBefore - droppedBefore < (long) each * senders) {
            Thread.sleep(10);
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a sender failed", errors.get(0));
        }
        long blocked = 0;
        long sent = 0;
        long[] all = new long[0];
        for (DatagramSender s : clients) {
            blocked += s.totalSendNanos();
            sent += s.sent();
            long[] mine = s.samples();
            long[] merged = java.util.Arrays.copyOf(all, all.length + mine.length);
            System.arraycopy(mine, 0, merged, all.length, mine.length);
            all = merged;
            s.close();
        }
        java.util.Arrays.sort(all);
        SyslogStats stats = sink.stats();
        return new BurstResult(senders, sent, stats.received() - receivedBefore, stats.forwarded() - forwardedBefore,
                stats.forwardDropped() - droppedBefore, wall / 1e6, blocked / 1e6 / senders,
                percentile(all, 0.5) / 1e3, percentile(all, 0.99) / 1e3, percentile(all, 0.999) / 1e3,
                all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }
}
