package dev.nvrc.testkit;

import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A real child process as core's {@link Daemon}, for {@link FixtureProcessRunner}. */
final class ProcessDaemon implements Daemon {
    private final String name;
    private final Process process;
    private final ChildOutputTail output;
    private final List<Consumer<ExitStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile ExitStatus status;

    ProcessDaemon(String name, Process process, ChildOutputTail output) {
        this.name = name;
        this.process = process;
        this.output = output;
        process.onExit().thenRun(this::ended);
    }

    private void ended() {
        try {
            output.drain(); // so that a failure message can quote the daemon's last words
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ExitStatus s = FixtureProcessRunner.statusOf(process.exitValue());
        synchronized (this) {
            status = s;
        }
        listeners.forEach(l -> l.accept(s));
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
    public Optional<ExitStatus> exitStatus() {
        return Optional.ofNullable(status);
    }

    @Override
    public void onExit(Consumer<ExitStatus> listener) {
        ExitStatus now;
        synchronized (this) {
            now = status;
            if (now == null) {
                listeners.add(listener);
                return;
            }
        }
        listener.accept(now);
    }

    @Override
    public List<String> recentLines(int max) {
        return output.recent(max);
    }
}
