package dev.nvrc.kernel.syslog;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/** A real syslog client: an unbound unix datagram socket sending to a path, timing each send. */
public final class DatagramSender implements AutoCloseable {
    private final UnixDatagramChannel channel;
    private final UnixSocketAddress target;
    private long[] samples = new long[0];
    private long maxSendNanos;
    private long totalSendNanos;
    private long sent;

    public DatagramSender(Path target) throws IOException {
        this.channel = UnixDatagramChannel.open();
        this.target = new UnixSocketAddress(target.toFile());
    }

    /** Sends one datagram (blocks while the receiver's queue is full, as syslog(3) does). */
    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        long start = System.nanoTime();
        channel.send(ByteBuffer.wrap(bytes), target);
        long took = System.nanoTime() - start;
        totalSendNanos += took;
        if (sent < samples.length) {
            samples[(int) sent] = took;
        }
        maxSendNanos = Math.max(maxSendNanos, took);
        sent++;
    }

    /** Keeps the duration of each of the next {@code n} sends. */
    public void recordSamples(int n) {
        samples = new long[n];
    }

    /** The recorded send durations (nanoseconds), in send order. */
    public long[] samples() {
        return java.util.Arrays.copyOf(samples, (int) Math.min(sent, samples.length));
    }

    public long maxSendNanos() {
        return maxSendNanos;
    }

    public long totalSendNanos() {
        return totalSendNanos;
    }

    public long sent() {
        return sent;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
