package dev.nvrc.kernel.process;

import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** A {@link Daemon} backed by a {@link ChildProcess}; its recent lines come from its syslog messages. */
public final class LinuxDaemon implements Daemon {
    /** How many recent lines a daemon keeps. */
    public static final int KEPT_LINES = 50;

    private final Command command;
    private final ChildProcess child;
    private final RecentLines lines;
    private final Runnable drain;

    LinuxDaemon(Command command, ChildProcess child, Runnable drain) {
        this(command, child, drain, new RecentLines(KEPT_LINES));
    }

    /** A daemon whose lines are kept in {@code lines} (shared with its launcher, for a forked one). */
    private LinuxDaemon(Command command, ChildProcess child, Runnable drain, RecentLines lines) {
        this.command = command;
        this.child = child;
        this.drain = drain;
        this.lines = lines;
    }

    /** The process {@code child} this daemon forked: same name and command, the same lines. */
    LinuxDaemon forked(ChildProcess forkedChild) {
        return new LinuxDaemon(command, forkedChild, drain, lines);
    }

    @Override
    public String name() {
        return command.name();
    }

    @Override
    public long pid() {
        return child.pid();
    }

    /** The command the daemon was started with. */
    public Command command() {
        return command;
    }

    @Override
    public Optional<ExitStatus> exitStatus() {
        return child.exitStatus();
    }

    @Override
    public void onExit(Consumer<ExitStatus> listener) {
        child.onExit(listener);
    }

    /** The last lines, once the syslog reader has handled what is already queued (a bounded wait). */
    @Override
    public List<String> recentLines(int max) {
        drain.run();
        return lines.last(max);
    }

    /** Sends {@code signal} unless the daemon has ended. */
    public boolean kill(int signal) {
        return child.kill(signal);
    }

    void addLine(String line) {
        lines.add(line);
    }

    /** True when a syslog identifier names this daemon (its name or its program's file name). */
    boolean answersTo(String ident) {
        String program = command.program();
        return ident.equals(command.name()) || ident.equals(program.substring(program.lastIndexOf('/') + 1));
    }

    @Override
    public String toString() {
        return child.toString();
    }
}
