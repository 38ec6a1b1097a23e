package dev.nvrc.testkit;

import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * A process a launcher forked, followed by {@link FixtureProcessRunner} through its
 * {@link ProcessHandle}: the host JVM is not its parent, so its exit status cannot be known and
 * is reported as {@link #UNKNOWN} (a failure, as any end of a daemon is).
 */
final class FollowedDaemon extends HostDaemon {
    /** What an end whose status this JVM cannot learn is reported as. */
    static final ExitStatus UNKNOWN = ExitStatus.exited(255);
    static final String UNKNOWN_LINE = "(ended; a host test cannot learn the exit status of a process it did not start)";

    private final Daemon launcher;
    private final long pid;

    FollowedDaemon(Daemon launcher, long pid, ProcessHandle handle) {
        this.launcher = launcher;
        this.pid = pid;
        if (handle == null) {
            ended(UNKNOWN);
        } else {
            handle.onExit().thenRun(() -> ended(UNKNOWN));
        }
    }

    @Override
    public String name() {
        return launcher.name();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public List<String> recentLines(int max) {
        List<String> lines = new ArrayList<>(launcher.recentLines(max));
        if (exitStatus().isPresent()) {
            lines.add(UNKNOWN_LINE);
        }
        return lines.subList(Math.max(0, lines.size() - max), lines.size());
    }
}
