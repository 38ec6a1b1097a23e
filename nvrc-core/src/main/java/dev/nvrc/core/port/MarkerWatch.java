package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
import java.time.Duration;

/** A pending wait for a readiness marker, opened through {@link SyslogSink#watch}. */
public interface MarkerWatch extends AutoCloseable {
    /** The marker text this watch waits for. */
    String marker();

    /**
     * Returns as soon as a message containing the marker has arrived (also when it arrived before
     * this call). Fails at once when {@code daemon} ends with a non-zero exit code or a signal
     * first, naming it, its exit status and its last lines; fails after {@code timeout} naming the
     * daemon, the marker and the timeout. An exit with code 0 is a detach (the process forked the
     * real daemon, see {@link dev.nvrc.core.plan.TrackedDaemons}): the wait goes on for the marker.
     */
    void await(Daemon daemon, Duration timeout) throws BootFailure;

    /** Stops watching; never throws. */
    @Override
    void close();
}
