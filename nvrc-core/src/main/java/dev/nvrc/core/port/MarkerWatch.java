package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
import java.time.Duration;

/** A pending wait for a readiness marker, opened through {@link SyslogSink#watch}. */
public interface MarkerWatch extends AutoCloseable {
    /** The marker text this watch waits for. */
    String marker();

    /**
     * Returns as soon as a message containing the marker has arrived (also when it arrived before
     * this call). Fails at once when {@code daemon} ends first, with any status, naming it, its
     * exit status and its last lines (stderr, stdout and syslog); fails after {@code timeout}
     * naming the daemon, the marker and the timeout. A daemon that forks (nvidia-persistenced,
     * nv-fabricmanager) has its parent wait for the child's readiness, and the child logs the
     * marker before that, so an exit 0 without the marker is a daemon that gave up: what it had
     * sent before it exited is read first, so a marker right before a clean exit still counts.
     */
    void await(Daemon daemon, Duration timeout) throws BootFailure;

    /** Stops watching; never throws. */
    @Override
    void close();
}
