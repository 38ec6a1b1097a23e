package dev.nvrc.core.port;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A background process started by the init and tracked until the handoff. */
public interface Daemon {
    /** The short name used in messages ({@code nvidia-persistenced}). */
    String name();

    /** The process id. */
    long pid();

    /** How the daemon ended, or empty while it runs. */
    Optional<ExitStatus> exitStatus();

    /**
     * Calls {@code listener} once when the daemon ends (at once if it already has). Called from
     * the reaper thread: it must not block.
     */
    void onExit(Consumer<ExitStatus> listener);

    /** Up to {@code max} of the most recent lines the daemon wrote (stdout, stderr, syslog). */
    List<String> recentLines(int max);
}
