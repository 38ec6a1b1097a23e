package dev.nvrc.kernel.process;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.PortFailures;
import dev.nvrc.kernel.init.InheritedFds;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.libc.SignalMask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a program with posix_spawnp (glibc: clone(CLONE_VM|CLONE_VFORK) + execve, nothing of the
 * JVM runs in the child), an explicit argv and environment, stdin on /dev/null and stdout/stderr
 * as {@link ChildOutput} says, and no signal blocked (HotSpot blocks SIGQUIT in Java threads, and
 * a spawned program inherits the mask unless the spawn attributes set one).
 *
 * <p>The JDK opens files without O_CLOEXEC, so every descriptor above 2 is closed in the child by
 * a file action (glibc ignores a close of a descriptor that is gone by then).
 */
final class Spawner {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final Path DEV_NULL = Path.of("/dev/null");
    private static final Path PROC_SELF_FD = Path.of("/proc/self/fd");

    private Spawner() {}

    /** One posix_spawn file action: what happens to a descriptor in the child before the exec. */
    sealed interface FileAction {
        /** {@code open(path, flags, mode)} as descriptor {@code fd}. */
        record Open(int fd, String path, int flags, int mode) implements FileAction {}

        /** {@code dup2(from, to)}. */
        record Dup(int from, int to) implements FileAction {}

        /** {@code close(fd)}. */
        record Close(int fd) implements FileAction {}
    }

    /** Starts {@code command} and returns its pid; a failure names the command and the reason. */
    static long spawn(Command command, ChildOutput output) throws BootFailure {
        Path program = Path.of(command.program());
        if (!Files.isRegularFile(program)) {
            throw new BootFailure(PortFailures.cannotStart(command, program + " does not exist"));
        }
        if (!Files.isExecutable(program)) {
            throw new BootFailure(PortFailures.cannotStart(command, program + " is not executable"));
        }
        List<FileAction> actions = fileActions(output);
        int[] pid = new int[1];
        int error = posixSpawn(pid, command.program(), actions, nullTerminated(command.argv()), nullTerminated(environment(command.env())));
        CheckedLibC.checkError(PortFailures.cannotStart(command, command.program()), error);
        return pid[0];
    }

    /** posix_spawnp with {@code actions} and an empty signal mask: 0 (the pid in {@code pid[0]}) or an error number. */
    private static int posixSpawn(int[] pid, String program, List<FileAction> actions, String[] argv, String[] envp) {
        LibC libc = Native.libc();
        byte[] fileActions = new byte[LibC.SPAWN_OBJECT_BYTES];
        byte[] attributes = new byte[LibC.SPAWN_OBJECT_BYTES];
        int error = libc.posix_spawn_file_actions_init(fileActions);
        if (error != 0) {
            return error;
        }
        try {
            error = libc.posix_spawnattr_init(attributes);
            if (error != 0) {
                return error;
            }
            try {
                error = apply(libc, fileActions, actions);
                if (error == 0) {
                    error = libc.posix_spawnattr_setsigmask(attributes, SignalMask.empty());
                }
                if (error == 0) {
                    error = libc.posix_spawnattr_setflags(attributes, POSIX_SPAWN_SETSIGMASK);
                }
                if (error == 0) {
                    error = libc.posix_spawnp(pid, program, fileActions, attributes, argv, envp);
                }
                return error;
            } finally {
                libc.posix_spawnattr_destroy(attributes);
            }
        } finally {
            libc.posix_spawn_file_actions_destroy(fileActions);
        }
    }

    private static int apply(LibC libc, byte[] fileActions, List<FileAction> actions) {
        for (FileAction action : actions) {
            int error;
            if (action instanceof FileAction.Open o) {
                error = libc.posix_spawn_file_actions_addopen(fileActions, o.fd(), o.path(), o.flags(), o.mode());
            } else if (action instanceof FileAction.Dup d) {
                error = libc.posix_spawn_file_actions_adddup2(fileActions, d.from(), d.to());
            } else {
                error = libc.posix_spawn_file_actions_addclose(fileActions, ((FileAction.Close) action).fd());
            }
            if (error != 0) {
                return error;
            }
        }
        return 0;
    }

    static List<FileAction> fileActions(ChildOutput output) throws BootFailure {
        List<FileAction> actions = new ArrayList<>();
        if (Files.exists(DEV_NULL)) {
            actions.add(new FileAction.Open(0, DEV_NULL.toString(), O_RDONLY, 0));
        }
        if (output instanceof ChildOutput.Discard) {
            if (!Files.exists(DEV_NULL)) {
                throw new BootFailure("cannot discard the output of a child: " + DEV_NULL + " does not exist (is /dev mounted?)");
            }
            actions.add(new FileAction.Open(1, DEV_NULL.toString(), O_WRONLY, 0));
            actions.add(new FileAction.Dup(1, 2));
        } else if (output instanceof ChildOutput.ToFile f) {
            actions.add(new FileAction.Open(1, f.file().toString(), O_WRONLY | O_CREAT | O_APPEND, 0644));
            actions.add(new FileAction.Dup(1, 2));
        } else if (output instanceof ChildOutput.ToDescriptor d) {
            actions.add(new FileAction.Dup(d.fd(), 1));
            actions.add(new FileAction.Dup(d.fd(), 2));
        }
        // The kept descriptors (the /dev/log socket) are meant for children: the syslog drainer
        // receives on it (found by the VM tests: the drainer got EBADF on the socket's number).
        for (int fd : InheritedFds.openFds(PROC_SELF_FD)) {
            if (fd > 2 && !InheritedFds.kept().contains(fd)) {
                actions.add(new FileAction.Close(fd));
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

    /** {@code strings} as the NULL-terminated array that argv and envp are. */
    static String[] nullTerminated(List<String> strings) {
        return strings.toArray(new String[strings.size() + 1]);
    }
}
