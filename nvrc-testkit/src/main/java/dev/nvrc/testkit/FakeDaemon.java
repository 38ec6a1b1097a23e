package dev.nvrc.testkit;

import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** A daemon that runs until a test calls {@link #exit}. */
public final class FakeDaemon implements Daemon {
    private final Command command;
    private final long pid;
    private final List<Consumer<ExitStatus>> listeners = new CopyOnWriteArrayList<>();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private volatile ExitStatus status;

    FakeDaemon(Command command, long pid) {
        this.command = command;
        this.pid = pid;
    }

    /** The command it was started with. */
    public Command command() {
        return command;
    }

    @Override
    public String name() {
        return command.name();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Optional<ExitStatus> exitStatus() {
        return Optional.ofNullable(status);
    }

    @Override
    public void onExit(Consumer<ExitStatus> listener) {
        listeners.add(listener);
        ExitStatus now = status;
        if (now != null) {
            listener.accept(now);
        }
    }

    @Override
    public List<String> recentLines(int max) {
        List<String> copy = new ArrayList<>(lines);
        return copy.subList(Math.max(0, copy.size() - max), copy.size());
    }

    /** Records a line the daemon printed. */
    public void print(String line) {
        lines.add(line);
    }

    /** Ends the daemon and notifies its listeners. */
    public synchronized void exit(ExitStatus exitStatus) {
        if (status != null) {
            return;
        }
        status = exitStatus;
        listeners.forEach(l -> l.accept(exitStatus));
    }
}
