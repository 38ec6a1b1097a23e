package dev.nvrc.testkit;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.PortFailures;
import dev.nvrc.core.port.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs commands for real, but only programs under a fixture root: argv[0] {@code /sbin/modprobe}
 * runs {@code <root>/sbin/modprobe} (usually a {@link SimulatedTools simulated tool}) and a program
 * missing there fails; it never falls back to the host's program. For tests on a host, which are
 * not PID 1: the JDK's ProcessBuilder is fine here, unlike in the init.
 *
 * <p>Each child gets exactly the command's environment plus {@code extraEnv} (e.g. NVSIM_CONF).
 * {@link #close()} kills every process it started, and their children that are still attached.
 */
public final class FixtureProcessRunner implements ProcessRunner, AutoCloseable {
    /** How many output lines a failure message quotes. */

    private final NvrcPaths paths;
    private final Map<String, String> extraEnv;
    private final Consumer<String> daemonLines;
    private final List<Process> started = new CopyOnWriteArrayList<>();

    /**
     * @param paths the fixture root programs are taken from
     * @param extraEnv added to every child's environment
     * @param daemonLines hears every line a daemon writes (stdout and stderr), e.g. to feed a
     *     {@link WaitingSyslogSink} when the simulated daemons log to stderr
     */
    public FixtureProcessRunner(NvrcPaths paths, Map<String, String> extraEnv, Consumer<String> daemonLines) {
        this.paths = paths;
        this.extraEnv = Map.copyOf(extraEnv);
        this.daemonLines = daemonLines;
    }

    @Override
    public void run(Command command, Duration timeout) throws BootFailure {
        Process process = spawn(command);
        ChildOutputTail output = new ChildOutputTail(process, line -> { });
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new BootFailure(PortFailures.commandTimedOut(command, timeout, output.recent(PortFailures.QUOTED_OUTPUT_LINES)));
            }
            output.drain();
            ExitStatus status = statusOf(process.exitValue());
            if (!status.success()) {
                throw new BootFailure(PortFailures.commandFailed(command, status, output.recent(PortFailures.QUOTED_OUTPUT_LINES)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(process);
            throw new BootFailure(PortFailures.commandInterrupted(command), e);
        }
    }

    @Override
    public Daemon start(Command command) throws BootFailure {
        Process process = spawn(command);
        return new ProcessDaemon(command.name(), process, new ChildOutputTail(process, daemonLines));
    }

    /**
     * Follows {@code pid}, which {@code launcher} forked. On a host this JVM is not the process's
     * parent (it is no PID 1), so it learns that the process ended but not how: the end is
     * reported as exit code 255 with a line saying so.
     */
    @Override
    public Daemon follow(Daemon launcher, long pid) throws BootFailure {
        ProcessHandle handle = ProcessHandle.of(pid).orElse(null);
        return new FollowedDaemon(launcher, pid, handle);
    }

    private Process spawn(Command command) throws BootFailure {
        Path program = paths.resolve(command.program());
        if (!Files.isRegularFile(program) || !Files.isExecutable(program)) {
            throw new BootFailure(PortFailures.cannotStart(command, command.program()
                    + (Files.isRegularFile(program) ? " is not executable" : " does not exist")
                    + " (under the fixture root " + paths.root() + ")"));
        }
        List<String> argv = new ArrayList<>(command.argv());
        argv.set(0, program.toString());
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        builder.environment().clear();
        builder.environment().putAll(command.env());
        builder.environment().putAll(extraEnv);
        try {
            Process process = builder.start();
            started.add(process);
            return process;
        } catch (IOException e) {
            throw new BootFailure(PortFailures.cannotStart(command, e.getMessage()), e);
        }
    }

    /** The JDK reports a death by signal as 128 + the signal number. */
    static ExitStatus statusOf(int exitValue) {
        return exitValue > 128 && exitValue < 128 + 65 ? ExitStatus.killed(exitValue - 128) : ExitStatus.exited(exitValue);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Kills every process started and waits (briefly) for them to go. */
    @Override
    public void close() {
        for (Process p : started) {
            kill(p);
        }
        for (Process p : started) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
