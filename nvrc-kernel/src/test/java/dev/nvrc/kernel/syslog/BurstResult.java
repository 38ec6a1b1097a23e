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
 * @param senderBlockedMillis summed time the senders spent inside send(2), per sender average
 * @param maxSendMillis the longest single send(2)
 */
public record BurstResult(int senders, long sent, long received, long forwarded, long forwardDropped,
        double wallMillis, double senderBlockedMillis, double maxSendMillis) {
    @Override
    public String toString() {
        return String.format("senders=%d sent=%d received=%d forwarded=%d forward_dropped=%d wall_ms=%.1f "
                        + "sender_in_send_ms_avg=%.1f max_single_send_ms=%.3f rate=%.0f msg/s",
                senders, sent, received, forwarded, forwardDropped, wallMillis, senderBlockedMillis, maxSendMillis,
                sent / (wallMillis / 1000));
    }
}
