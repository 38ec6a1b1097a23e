package dev.nvrc.kernel.syslog;

/**
 * Figures of one burst.
 *
 * @param senders sender threads
 * @param sent datagrams sent
 * @param received datagrams the sink read
 * @param forwarded messages written to the kernel log
 * @param forwardDropped messages not forwarded (writer queue full)
 * @param wallMillis first send to last message read
 * @param inSendMillisPerSender time a sender spent inside send(2) (syscall plus any wait for queue room), average per sender
 * @param p50SendMicros median duration of one send(2)
 * @param p99SendMicros 99th percentile of one send(2)
 * @param p999SendMicros 99.9th percentile of one send(2)
 * @param maxSendMillis the longest single send(2): the longest a sender was held up
 */
public record BurstResult(int senders, long sent, long received, long forwarded, long forwardDropped,
        double wallMillis, double inSendMillisPerSender, double p50SendMicros, double p99SendMicros,
        double p999SendMicros, double maxSendMillis) {
    @Override
    public String toString() {
        return String.format("senders=%d sent=%d received=%d forwarded=%d forward_dropped=%d wall_ms=%.1f rate=%.0f/s "
                        + "in_send_ms_per_sender=%.1f send_us_p50=%.1f p99=%.1f p99.9=%.1f send_max_ms=%.2f",
                senders, sent, received, forwarded, forwardDropped, wallMillis, sent / (wallMillis / 1000),
                inSendMillisPerSender, p50SendMicros, p99SendMicros, p999SendMicros, maxSendMillis);
    }
}
