package dev.nvrc.testkit;

import dev.nvrc.core.port.Daemon;
import java.util.List;

/** A real child process as core's {@link Daemon}, for {@link FixtureProcessRunner}. */
final class ProcessDaemon extends HostDaemon {
    private final String name;
    private final Process process;
    private final ChildOutputTail output;

    ProcessDaemon(String name, Process process, ChildOutputTail output) {
        this.name = name;
        this.process = process;
        this.output = output;
        process.onExit().thenRun(this::processEnded);
    }

    private void processEnded() {
        try {
            output.drain(); // so that a failure message can quote the daemon's last words
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ended(FixtureProcessRunner.statusOf(process.exitValue()));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public List<String> recentLines(int max) {
        return output.recent(max);
    }
}
