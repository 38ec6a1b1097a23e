package dev.nvrc.kernel.syslog;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Sends a burst of syslog-shaped datagrams from several threads and measures the senders. */
public final class Burst {
    private Burst() {}

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
        // Let the kernel-log writer finish what it queued, so forwarded + dropped adds up.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (sink.stats().forwarded() + sink.stats().forwardDropped() - forwardedBefore - droppedBefore < (long) each * senders
                && System.nanoTime() < deadline && sink.stats().forwarded() + sink.stats().forwardDropped() > 0) {
            Thread.sleep(10);
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("a sender failed", errors.get(0));
        }
        long blocked = 0;
        long max = 0;
        long sent = 0;
        for (DatagramSender s : clients) {
            blocked += s.totalSendNanos();
            max = Math.max(max, s.maxSendNanos());
            sent += s.sent();
            s.close();
        }
        SyslogStats stats = sink.stats();
        return new BurstResult(senders, sent, stats.received() - receivedBefore, stats.forwarded() - forwardedBefore,
                stats.forwardDropped() - droppedBefore, wall / 1e6, blocked / 1e6 / senders, max / 1e6);
    }
}
