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
 * A syslog sink whose watches really wait, for tests with real processes (unlike
 * {@link FakeSyslogSink}, which decides at once). Messages come from {@link #log}, e.g. the
 * output of daemons run by a {@link FixtureProcessRunner}. Follows the {@link MarkerWatch}
 * contract: only messages logged after the watch was opened count; a daemon that ends, with any
 * status, ends the wait, once its output has had {@link #DRAIN_AFTER_EXIT} to arrive (the pipe
 * from a real process is read by another thread, so its last lines can trail its exit).
 */
public final class WaitingSyslogSink extends SyslogSocketFake {
    /** How long a dead daemon's last lines may take to arrive before the verdict. */
    public static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(1);

    private final List<String> messages = new ArrayList<>();

    /** A message arrives. */
    public synchronized void log(String message) {
        messages.add(message);
        notifyAll();
    }

    @Override
    public synchronized List<String> recentMessages(int max) {
        return List.copyOf(messages.subList(Math.max(0, messages.size() - max), messages.size()));
    }

    @Override
    public synchronized MarkerWatch watch(String marker) {
        int from = messages.size();
        return new MarkerWatch() {
            @Override
            public String marker() {
                return marker;
            }

            @Override
            public void await(Daemon daemon, Duration timeout) throws BootFailure {
                daemon.onExit(status -> wake());
                long deadline = System.nanoTime() + timeout.toNanos();
                synchronized (WaitingSyslogSink.this) {
                    int seen = from;
                    long drainUntil = 0;
                    while (true) {
                        for (; seen < messages.size(); seen++) {
                            if (messages.get(seen).contains(marker)) {
                                return;
                            }
                        }
                        Optional<ExitStatus> status = daemon.exitStatus();
                        if (status.isPresent()) {
                            if (drainUntil == 0) {
                                drainUntil = System.nanoTime() + DRAIN_AFTER_EXIT.toNanos();
                            } else if (System.nanoTime() - drainUntil >= 0) {
                                throw new BootFailure(PortFailures.endedBeforeMarker(daemon, marker, status.get()));
                            }
                        }
                        long left = (drainUntil != 0 ? drainUntil : deadline) - System.nanoTime();
                        if (left <= 0 && drainUntil == 0) {
                            throw new BootFailure(PortFailures.markerTimeout(daemon, marker, timeout));
                        }
                        try {
                            WaitingSyslogSink.this.wait(Math.max(1, left / 1_000_000));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new BootFailure(PortFailures.markerInterrupted(daemon, marker), e);
                        }
                    }
                }
            }

            @Override
            public void close() {}
        };
    }

    private synchronized void wake() {
        notifyAll();
    }
}
