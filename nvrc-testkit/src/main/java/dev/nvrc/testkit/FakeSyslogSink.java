package dev.nvrc.testkit;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.PortFailures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A syslog sink fed by {@link #log}. A wait returns when a matching message was logged, fails
 * when the daemon has ended (any status, as the {@link MarkerWatch} contract says), and otherwise
 * (still running) fails with a timeout at once (tests never sleep).
 */
public final class FakeSyslogSink extends SyslogSocketFake {
    private final List<String> messages = new ArrayList<>();
    private final List<Duration> awaitedTimeouts = new ArrayList<>();
    private final List<String> openMarkers = new ArrayList<>();

    /** A daemon logs {@code message} to /dev/log. */
    public synchronized void log(String message) {
        messages.add(message);
    }

    @Override
    public synchronized List<String> recentMessages(int max) {
        return List.copyOf(messages.subList(Math.max(0, messages.size() - max), messages.size()));
    }

    /** The timeouts passed to every wait, in order. */
    public synchronized List<Duration> awaitedTimeouts() {
        return List.copyOf(awaitedTimeouts);
    }

    /**
     * The markers of the watches opened and not yet closed, in opening order: lets a test check,
     * from a daemon's start action, that its watch was opened before the daemon started.
     */
    public synchronized List<String> openMarkers() {
        return List.copyOf(openMarkers);
    }

    @Override
    public synchronized MarkerWatch watch(String marker) {
        openMarkers.add(marker);
        return new MarkerWatch() {
            private boolean closed;

            @Override
            public String marker() {
                return marker;
            }

            @Override
            public void await(Daemon daemon, Duration timeout) throws BootFailure {
                synchronized (FakeSyslogSink.this) {
                    awaitedTimeouts.add(timeout);
                    if (messages.stream().anyMatch(m -> m.contains(marker))) {
                        return;
                    }
                }
                Optional<ExitStatus> status = daemon.exitStatus();
                if (status.isPresent()) {
                    throw new BootFailure(PortFailures.endedBeforeMarker(daemon, marker, status.get()));
                }
                throw new BootFailure(PortFailures.markerTimeout(daemon, marker, timeout));
            }

            @Override
            public void close() {
                synchronized (FakeSyslogSink.this) {
                    if (!closed) {
                        closed = true;
                        openMarkers.remove(marker);
                    }
                }
            }
        };
    }
}
