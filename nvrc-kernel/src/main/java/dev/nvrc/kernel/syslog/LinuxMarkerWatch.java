package dev.nvrc.kernel.syslog;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.PortFailures;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A wait for a message containing a marker. The sink's reader thread offers every message; the
 * waiting thread wakes at once on a match, on the daemon's death or at the deadline (no polling).
 */
final class LinuxMarkerWatch implements MarkerWatch {
    /** How long a dead daemon's last datagrams may take to be read before the verdict. */
    static final Duration DRAIN_AFTER_DEATH = Duration.ofSeconds(1);

    private final String marker;
    private final LinuxSyslogSink sink;
    private final Object lock = new Object();
    private volatile boolean matched;

    LinuxMarkerWatch(String marker, LinuxSyslogSink sink) {
        this.marker = Objects.requireNonNull(marker, "marker");
        if (marker.isEmpty()) {
            throw new IllegalArgumentException("empty marker");
        }
        this.sink = sink;
    }

    @Override
    public String marker() {
        return marker;
    }

    /** Called by the reader thread for every message. */
    void offer(String text) {
        if (!matched && text.contains(marker)) {
            synchronized (lock) {
                matched = true;
                lock.notifyAll();
            }
        }
    }

    private void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    @Override
    public void await(Daemon daemon, Duration timeout) throws BootFailure {
        long deadline = System.nanoTime() + timeout.toNanos();
        daemon.onExit(status -> wake());
        boolean timedOut = false;
        synchronized (lock) {
            while (!matched) {
                if (daemon.exitStatus().isPresent()) {
                    // Any status: a forking daemon's parent exits only once the child is ready,
                    // and the child logs the marker before that, so an exit 0 without the marker
                    // is a daemon that gave up (nvidia-persistenced 535 on an unknown option).
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    timedOut = true;
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BootFailure(PortFailures.markerInterrupted(daemon, marker), e);
                }
            }
            if (matched) {
                return;
            }
        }
        // Failures are worded outside the lock: quoting the daemon's lines waits for the reader,
        // which needs the lock to report a marker.
        if (timedOut) {
            throw new BootFailure(PortFailures.markerTimeout(daemon, marker, timeout));
        }
        // The daemon is dead, so everything it sent is queued in the socket already: let the reader
        // get through it before deciding, a marker logged right before a (clean) exit still counts.
        sink.sync(DRAIN_AFTER_DEATH);
        if (matched) {
            return;
        }
        ExitStatus status = daemon.exitStatus().orElseThrow();
        throw new BootFailure(PortFailures.endedBeforeMarker(daemon, marker, status));
    }

    @Override
    public void close() {
        sink.remove(this);
    }
}
