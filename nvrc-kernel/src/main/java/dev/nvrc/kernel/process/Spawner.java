package dev.nvrc.kernel.process;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.PortFailures;
import dev.nvrc.kernel.init.InheritedFds;
import dev.nvrc.kernel.libc.ErrnoText;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.libc.SignalMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.posix.POSIX;
import jnr.posix.SpawnFileAction;

/**
 * Starts a program with posix_spawnp (glibc: clone(CLONE_VM|CLONE_VFORK) + execve, nothing of the
 * JVM runs in the child), an explicit argv and environment, stdin on /dev/null and stdout/stderr
 * as {@link ChildOutput} says.
 *
 * <p>The JDK opens files without O_CLOEXEC, so every descriptor above 2 is closed in the child by
 * a file action (glibc ignores a close of a descriptor that is gone by then). jnr-posix offers no
 * closefrom action and no signal-mask attribute; the mask is emptied around the call instead
 * ({@link SignalMask}), as HotSpot blocks SIGQUIT in Java threads.
 */
final class Spawner {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final Path DEV_NULL = Path.of("/dev/null");
    private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

    private Spawner() {}

    /** Starts {@code command} and returns its pid; a failure names the command and the reason. */
    static long spawn(Command command, ChildOutput output) throws BootFailure {
        Path program = Path.of(command.program());
        if (!Files.isRegularFile(program)) {
            throw new BootFailure(PortFailures.cannotStart(command, program + " does not exist"));
        }
        if (!Files.isExecutable(program)) {
            throw new BootFailure(PortFailures.cannotStart(command, program + " is not executable"));
        }
        List<SpawnFileAction> actions = fileActions(output);
        List<String> env = environment(command.env());
        POSIX posix = Native.posix();
        long pid = SignalMask.withEmptyMask(() -> posix.posix_spawnp(command.program(), actions, command.argv(), env));
        if (pid <= 0) {
            throw new BootFailure(PortFailures.cannotStart(command, command.program() + ": " + ErrnoText.of(posix.errno())));
        }
        return pid;
    }

    static List<SpawnFileAction> fileActions(ChildOutput output) throws BootFailure {
        List<SpawnFileAction> actions = new ArrayList<>();
        if (Files.exists(DEV_NULL)) {
            actions.add(SpawnFileAction.open(DEV_NULL.toString(), 0, O_RDONLY, 0));
        }
        if (output instanceof ChildOutput.Discard) {
            if (!Files.exists(DEV_NULL)) {
                throw new BootFailure("cannot discard the output of a child: " + DEV_NULL + " does not exist (is /dev mounted?)");
            }
            actions.add(SpawnFileAction.open(DEV_NULL.toString(), 1, O_WRONLY, 0));
            actions.add(SpawnFileAction.dup(1, 2));
        } else if (output instanceof ChildOutput.ToFile f) {
            actions.add(SpawnFileAction.open(f.file().toString(), 1, O_WRONLY | O_CREAT | O_APPEND, 0644));
            actions.add(SpawnFileAction.dup(1, 2));
        } else if (output instanceof ChildOutput.ToDescriptor d) {
            actions.add(SpawnFileAction.dup(d.fd(), 1));
            actions.add(SpawnFileAction.dup(d.fd(), 2));
        }
        // The kept descriptors (the /dev/log socket) are meant for children: the syslog drainer
        // receives on it (found by the VM tests: the drainer got EBADF on the socket's number).
        for (int fd : InheritedFds.openFds(PROC_SELF_FD)) {
            if (fd > 2 && !InheritedFds.kept().contains(fd)) {
                actions.add(SpawnFileAction.close(fd));
            }
        }
        return actions;
    }

    static List<String> environment(Map<String, String> env) {
        List<String> out = new ArrayList<>(env.size());
        env.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> out.add(e.getKey() + "=" + e.getValue()));
        return out;
    }
}
