package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
import java.time.Duration;

/** Starts programs. Implementations never fork the JVM. */
public interface ProcessRunner {
    /**
     * Runs {@code command} to completion. A spawn failure, a non-zero exit, a signal or running
     * longer than {@code timeout} is a {@link BootFailure} naming the command and what happened.
     */
    void run(Command command, Duration timeout) throws BootFailure;

    /** Starts {@code command} in the background and tracks it as a daemon. */
    Daemon start(Command command) throws BootFailure;
}
