package dev.nvrc.kernel.process;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.PortFailures;
import dev.nvrc.core.port.ProcessRunner;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.log.KmsgCursor;
import dev.nvrc.kernel.syslog.SyslogMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * {@link ProcessRunner} with posix_spawnp and the PID-1 {@link Reaper}.
 *
 * <p>Foreground commands ({@link #run}) write into a pipe that a thread reads: each line goes to
 * the kernel log at debug level and the last lines go into the failure message. Daemons
 * ({@link #start}) outlive the JVM (they keep running under kata-agent after the handoff), so they
 * must not write into a pipe that nobody reads after execve (they would block or die of SIGPIPE):
 * their stdout and stderr go to a datagram socket connected to /dev/log
 * ({@link #captureDaemonOutput}), read by the syslog sink until the handoff and by the drainer
 * after it; without one (no sink listening), to /dev/kmsg when debug logging is on and to
 * /dev/null otherwise. What a daemon prints and what it says through syslog(3) is credited to it
 * from the syslog sink ({@link #routeSyslog}), which fills {@link Daemon#recentLines}.
 *
 * <p>Spawning is not guarded: starting a program changes nothing by itself, and the sandbox
 * harness uses this class to start the sandbox.
 */
public final class LinuxProcessRunner implements ProcessRunner {
    /** How long a killed command may take to be reaped. */
    static final Duration KILL_GRACE = Duration.ofSeconds(5);
    /** How long to wait for the rest of a command's output after it exited. */
    static final Duration OUTPUT_GRACE = Duration.ofMillis(500);
    private static final int O_CLOEXEC = 02000000;

    private final Reaper reaper = Reaper.instance();
    private final List<LinuxDaemon> daemons = new CopyOnWriteArrayList<>();
    /** Messages no daemon claimed yet, kept for a daemon whose first lines beat its registration. */
    private final java.util.ArrayDeque<SyslogMessage> unrouted = new java.util.ArrayDeque<>();
    private static final int UNROUTED_KEPT = 64;
    private volatile DaemonOutputSource outputSource;
    /** Lets the syslog reader catch up before a daemon's recent lines are read (a failure quote). */
    private volatile Runnable outputDrain = () -> { };
    private volatile Path kernelLog;

    @Override
    public void run(Command command, Duration timeout) throws BootFailure {
        run(command, timeout, List.of());
    }

    /** Where {@link #run(Command, Duration, List)} reads the kernel's lines from (null: nowhere). */
    public void readKernelLogFrom(Path kmsg) {
        this.kernelLog = kmsg;
    }

    @Override
    public void run(Command command, Duration timeout, List<String> kernelPrefixes) throws BootFailure {
        try (KmsgCursor kernel = KmsgCursor.atEnd(kernelPrefixes.isEmpty() ? null : kernelLog)) {
            try {
                runCapturing(command, timeout);
            } catch (BootFailure e) {
                String lines = kernelQuote(kernel.kernelLines(), kernelPrefixes);
                throw lines.isEmpty() ? e : new BootFailure(e.getMessage() + lines, e);
            }
        }
    }

    /** The kernel lines that start with one of {@code prefixes}, as {@code "; kernel log: a | b"}. */
    static String kernelQuote(List<String> lines, List<String> prefixes) {
        return PortFailures.kernelLog(lines, prefixes);
    }

    private void runCapturing(Command command, Duration timeout) throws BootFailure {
        int[] pipe = new int[2];
        LibC libc = Native.libc();
        CheckedLibC.pipe2(PortFailures.cannotStart(command, "pipe2"), pipe, O_CLOEXEC);
        ChildProcess child;
        try {
            KernelLog.log(LogLevel.DEBUG, "run " + command.commandLine());
            child = spawn(command, new ChildOutput.ToDescriptor(pipe[1]));
        } catch (BootFailure e) {
            libc.close(pipe[0]);
            throw e;
        } finally {
            libc.close(pipe[1]);
        }
        RecentLines output = new RecentLines(PortFailures.QUOTED_OUTPUT_LINES);
        OutputPump pump = OutputPump.start(command.name(), pipe[0], output);
        long started = System.nanoTime();
        try {
            Optional<ExitStatus> status = child.awaitExit(timeout);
            if (status.isEmpty()) {
                child.kill(ChildProcess.SIGKILL);
                child.awaitExit(KILL_GRACE);
                pump.awaitEof(OUTPUT_GRACE);
                throw new BootFailure(PortFailures.commandTimedOut(command, timeout, output.last(PortFailures.QUOTED_OUTPUT_LINES)));
            }
            // A background grandchild may hold the pipe open: take what is there, do not wait for it.
            pump.awaitEof(OUTPUT_GRACE);
            ExitStatus exit = status.get();
            KernelLog.log(LogLevel.DEBUG, command.name() + " finished: " + exit + " after "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
            if (!exit.success()) {
                throw new BootFailure(PortFailures.commandFailed(command, exit, output.last(PortFailures.QUOTED_OUTPUT_LINES)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.kill(ChildProcess.SIGKILL);
            throw new BootFailure(PortFailures.commandInterrupted(command), e);
        }
    }

    /**
     * Where daemons' stdout and stderr go from now on: a socket from {@code source} (the syslog
     * sink's {@link dev.nvrc.kernel.syslog.LinuxSyslogSink#openStdio}), whose lines are credited to
     * the daemon like its syslog messages; when it answers -1, the fallback of {@link #daemonOutput()}.
     */
    public void captureDaemonOutput(DaemonOutputSource source) {
        this.outputSource = source;
    }

    /**
     * Run before a daemon's {@link Daemon#recentLines} are read: the syslog sink's sync, so that
     * a failure quoting a daemon that just ended has what it had already sent (the reader may still
     * be behind it when the reaper reports the exit).
     */
    public void drainDaemonOutputWith(Runnable drain) {
        this.outputDrain = drain;
    }

    /** Opens a descriptor for a daemon's stdout and stderr, or answers -1. */
    @FunctionalInterface
    public interface DaemonOutputSource {
        /** A descriptor the caller closes after the spawn, or -1. */
        int open(String daemon) throws BootFailure;
    }

    @Override
    public Daemon start(Command command) throws BootFailure {
        DaemonOutputSource source = outputSource;
        int stdio = source == null ? -1 : source.open(command.name());
        ChildOutput output = stdio < 0 ? daemonOutput() : new ChildOutput.ToDescriptor(stdio);
        ChildProcess child;
        try {
            child = spawn(command, output);
        } finally {
            closeIfOpen(stdio);
        }
        LinuxDaemon daemon = new LinuxDaemon(command, child, () -> outputDrain.run());
        synchronized (unrouted) {
            daemons.add(daemon);
            // A daemon can log before it is in the list (it runs as soon as it is spawned).
            for (SyslogMessage early : unrouted) {
                if (belongsTo(early, daemon)) {
                    daemon.addLine(early.textWithoutTimestamp());
                }
            }
            unrouted.removeIf(early -> belongsTo(early, daemon));
        }
        child.onExit(status -> KernelLog.log(LogLevel.INFO, command.name() + " (pid " + child.pid() + ") exited: " + status));
        KernelLog.log(LogLevel.INFO, "started " + command.name() + " (pid " + child.pid() + "): " + command.commandLine());
        return daemon;
    }

    /**
     * Follows the daemon {@code launcher} forked: the reaper reports the end of {@code pid}, which
     * is this process's child once the launcher has exited (PID 1 inherits orphans); it shares the
     * launcher's lines, which its syslog messages (same ident, often no pid) keep filling.
     */
    @Override
    public Daemon follow(Daemon launcher, long pid) throws BootFailure {
        if (!(launcher instanceof LinuxDaemon started) || !daemons.contains(started)) {
            throw new BootFailure("cannot follow " + launcher.name() + " (pid " + pid + "): it was not started here");
        }
        ChildProcess child = reaper.follow(launcher.name(), pid);
        LinuxDaemon daemon = started.forked(child);
        child.onExit(status -> KernelLog.log(LogLevel.INFO, launcher.name() + " (pid " + pid + ", forked) exited: " + status));
        KernelLog.log(LogLevel.INFO, "following " + launcher.name() + " (pid " + pid + "), forked by pid " + launcher.pid());
        return daemon;
    }

    /**
     * Starts {@code command} with its output going to {@code output} and tracks it; the caller waits
     * with {@link ChildProcess#awaitExit}. For tools and tests; the boot uses {@link #run} and
     * {@link #start}.
     */
    public ChildProcess spawn(Command command, ChildOutput output) throws BootFailure {
        return reaper.spawn(command.name(), () -> Spawner.spawn(command, output));
    }

    /** The daemons started so far, in start order. */
    public List<LinuxDaemon> daemons() {
        return List.copyOf(daemons);
    }

    /**
     * Credits a syslog message to the daemon that sent it: by the pid in its tag, else by its
     * identifier (the daemon's name or program file name). Called on the syslog reader thread.
     */
    public void routeSyslog(SyslogMessage message) {
        synchronized (unrouted) {
            LinuxDaemon target = null;
            for (LinuxDaemon d : daemons) {
                if (message.pid() > 0 && d.pid() == message.pid()) {
                    target = d;
                    break;
                }
            }
            for (int i = 0; target == null && i < daemons.size(); i++) {
                if (message.ident() != null && daemons.get(i).answersTo(message.ident())) {
                    target = daemons.get(i);
                }
            }
            if (target != null) {
                target.addLine(message.textWithoutTimestamp());
            } else {
                unrouted.addLast(message);
                if (unrouted.size() > UNROUTED_KEPT) {
                    unrouted.removeFirst();
                }
            }
        }
    }

    private static boolean belongsTo(SyslogMessage message, LinuxDaemon daemon) {
        return (message.pid() > 0 && message.pid() == daemon.pid())
                || (message.ident() != null && daemon.answersTo(message.ident()));
    }

    /** Children reaped that nvrc did not start (orphans adopted by PID 1), since the JVM started. */
    public static long orphansReaped() {
        return Reaper.instance().othersReaped();
    }

    /** Where a daemon's stdout/stderr go: the kmsg device at debug level, else nowhere. */
    static ChildOutput daemonOutput() {
        if (!KernelLog.enabled(LogLevel.DEBUG)) {
            return ChildOutput.discard();
        }
        Path kmsg = KernelLog.kmsgPath();
        if (kmsg != null && KernelLog.writesKmsg()) {
            return ChildOutput.toFile(kmsg);
        }
        return ChildOutput.inherit();
    }

    /** The parent's copy of a daemon's output socket: the child has its own from here on. */
    private static void closeIfOpen(int fd) {
        if (fd != -1) {
            Native.libc().close(fd);
        }
    }
}
