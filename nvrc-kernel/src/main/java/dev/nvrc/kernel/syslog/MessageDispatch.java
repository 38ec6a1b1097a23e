package dev.nvrc.kernel.syslog;

import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.process.RecentLines;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Where each received message goes, on the reader thread: the count, the recent-lines ring, the
 * listeners (daemon output routing), the marker watches and the kernel-log forwarder. Nothing here
 * blocks.
 */
final class MessageDispatch {
    private final RecentLines recent;
    private final MarkerRegistry markers;
    private final KmsgForwarder forwarder;
    private final List<Consumer<SyslogMessage>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();

    MessageDispatch(RecentLines recent, MarkerRegistry markers, KmsgForwarder forwarder) {
        this.recent = recent;
        this.markers = markers;
        this.forwarder = forwarder;
    }

    void addListener(Consumer<SyslogMessage> listener) {
        listeners.add(listener);
    }

    /** Messages handled so far. */
    long received() {
        return received.get();
    }

    /** What a daemon wrote to stdout or stderr: each line a message credited to it. */
    void output(String daemon, String written) {
        for (String line : written.split("\r?\n")) {
            String text = SyslogText.trimTrailingWhitespace(line);
            if (!text.isBlank()) {
                handle(text, new SyslogMessage(text, daemon, 0));
            }
        }
    }

    /** A syslog(3) datagram, already cleaned. */
    void syslog(String text) {
        handle(text, null);
    }

    /** Records the message everywhere first and resolves watches last: a woken waiter sees it all. */
    private void handle(String text, SyslogMessage parsed) {
        received.incrementAndGet();
        recent.add(text);
        if (!listeners.isEmpty()) {
            SyslogMessage message = parsed != null ? parsed : SyslogMessage.parse(text);
            for (Consumer<SyslogMessage> l : listeners) {
                try {
                    l.accept(message);
                } catch (RuntimeException e) {
                    // A broken listener must not stop the reader.
                    KernelLog.log(LogLevel.WARN, "syslog: listener failed", e);
                }
            }
        }
        markers.offer(text);
        forwarder.offer(text);
    }
}
