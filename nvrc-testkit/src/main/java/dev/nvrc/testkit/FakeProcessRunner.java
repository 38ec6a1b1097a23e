package dev.nvrc.testkit;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.PortFailures;
import dev.nvrc.core.port.ProcessRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Records every command in order. Tests script behaviour per command name: a foreground command
 * can be made to fail, a daemon can be given an action to run when it starts (log its marker,
 * die, ...).
 */
public final class FakeProcessRunner implements ProcessRunner {
    /** One recorded call. */
    public record Call(Kind kind, Command command) {
        /** Foreground or background. */
        public enum Kind { RUN, START }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, ExitStatus> failures = new HashMap<>();
    private final Map<String, List<String>> output = new HashMap<>();
    private final Map<String, Consumer<FakeDaemon>> onStart = new HashMap<>();
    private final List<FakeDaemon> daemons = new CopyOnWriteArrayList<>();
    private final List<FakeDaemon> followed = new CopyOnWriteArrayList<>();
    private final Map<String, Consumer<FakeDaemon>> onFollow = new HashMap<>();
    private final List<Duration> runTimeouts = new CopyOnWriteArrayList<>();
    private final Map<String, List<String>> kernelLines = new HashMap<>();
    private long nextPid = 100;

    /**
     * Makes every foreground run of {@code name} end with {@code status}: {@code name} is a
     * command's short name ({@code modprobe}) or its whole command line ({@code /sbin/modprobe dummy}).
     */
    public FakeProcessRunner failing(String name, ExitStatus status) {
        failures.put(name, status);
        return this;
    }

    /** Makes every foreground run of {@code name} end with {@code status} after printing {@code lines}. */
    public FakeProcessRunner failing(String name, ExitStatus status, List<String> lines) {
        output.put(name, List.copyOf(lines));
        return failing(name, status);
    }

    /**
     * What the kernel logs while {@code name} runs (a driver's lines): a failing run asked for
     * kernel lines quotes those that start with one of its prefixes, as the Linux runner does.
     */
    public FakeProcessRunner kernelSays(String name, String... lines) {
        kernelLines.put(name, List.of(lines));
        return this;
    }

    /** Runs {@code action} right after the daemon {@code name} is started. */
    public FakeProcessRunner whenStarted(String name, Consumer<FakeDaemon> action) {
        onStart.put(name, action);
        return this;
    }

    /** Runs {@code action} right after the runner begins following the forked daemon {@code name}. */
    public FakeProcessRunner whenFollowed(String name, Consumer<FakeDaemon> action) {
        onFollow.put(name, action);
        return this;
    }

    @Override
    public void run(Command command, Duration timeout) throws BootFailure {
        run(command, timeout, List.of());
    }

    @Override
    public void run(Command command, Duration timeout, List<String> kernelPrefixes) throws BootFailure {
        calls.add(new Call(Call.Kind.RUN, command));
        runTimeouts.add(timeout);
        String key = failures.containsKey(command.commandLine()) ? command.commandLine() : command.name();
        ExitStatus status = failures.get(key);
        if (status != null) {
            throw new BootFailure(PortFailures.commandFailed(command, status, output.getOrDefault(key, List.of()))
                    + PortFailures.kernelLog(kernelLines.getOrDefault(command.name(), List.of()), kernelPrefixes));
        }
    }

    @Override
    public synchronized Daemon start(Command command) {
        calls.add(new Call(Call.Kind.START, command));
        FakeDaemon daemon = new FakeDaemon(command, nextPid++);
        daemons.add(daemon);
        Consumer<FakeDaemon> action = onStart.get(command.name());
        if (action != null) {
            action.accept(daemon);
        }
        return daemon;
    }

    /** Follows {@code pid} as the daemon {@code launcher} forked: a fake with the launcher's command. */
    @Override
    public synchronized Daemon follow(Daemon launcher, long pid) throws BootFailure {
        FakeDaemon started = daemons.stream().filter(d -> d == launcher).findFirst()
                .orElseThrow(() -> new BootFailure("cannot follow " + launcher.name() + ": not started by this runner"));
        FakeDaemon daemon = new FakeDaemon(started.command(), pid);
        followed.add(daemon);
        Consumer<FakeDaemon> action = onFollow.get(started.name());
        if (action != null) {
            action.accept(daemon);
        }
        return daemon;
    }

    /** The forked daemons followed so far ({@link #follow}). */
    public List<FakeDaemon> followed() {
        return List.copyOf(followed);
    }

    /** Every call in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The argv of every call in order. */
    public List<List<String>> argvs() {
        List<List<String>> out = new ArrayList<>();
        calls.forEach(c -> out.add(c.command().argv()));
        return out;
    }

    /** The timeout of every foreground run, in order. */
    public List<Duration> runTimeouts() {
        return List.copyOf(runTimeouts);
    }

    /** The daemons started so far. */
    public List<FakeDaemon> daemons() {
        return List.copyOf(daemons);
    }
}
