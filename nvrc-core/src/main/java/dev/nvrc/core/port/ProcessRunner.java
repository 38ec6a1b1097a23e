package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
import java.time.Duration;
import java.util.List;

/** Starts programs. Implementations never fork the JVM. */
public interface ProcessRunner {
    /**
     * Runs {@code command} to completion. A spawn failure, a non-zero exit, a signal or running
     * longer than {@code timeout} is a {@link BootFailure} naming the command and what happened.
     */
    void run(Command command, Duration timeout) throws BootFailure;

    /**
     * Like {@link #run(Command, Duration)}; a failure also quotes the kernel's log lines logged
     * while the command ran whose text starts with one of {@code kernelPrefixes} (a driver's own
     * explanation, {@code NVRM:}), as {@code "; kernel log: a | b"}. An implementation that cannot
     * read the kernel log quotes nothing more.
     */
    default void run(Command command, Duration timeout, List<String> kernelPrefixes) throws BootFailure {
        run(command, timeout);
    }

    /** Starts {@code command} in the background and tracks it as a daemon. */
    Daemon start(Command command) throws BootFailure;

    /**
     * Follows process {@code pid}, which {@code launcher} forked and left behind when it exited
     * (a daemon that always forks, found by its pid file). Once its parent has exited such a
     * process is the init's child (PID 1 inherits orphans), so the reaper learns how it ends:
     * the returned {@link Daemon} reports that end, also when it came before this call. It has
     * the launcher's name and is credited with the launcher's lines (they share a syslog ident).
     *
     * @throws BootFailure when this runner cannot follow a process it did not start
     */
    default Daemon follow(Daemon launcher, long pid) throws BootFailure {
        throw new BootFailure("cannot follow " + launcher.name() + " (pid " + pid + "): this process runner only"
                + " follows the processes it started");
    }
}
