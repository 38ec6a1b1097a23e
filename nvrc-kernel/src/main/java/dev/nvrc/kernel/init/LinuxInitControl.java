package dev.nvrc.kernel.init;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.port.InitControl;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.ErrnoText;
import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.libc.SignalMask;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.procfs.KernelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@link InitControl} with setrlimit, /proc/PID/oom_score_adj, execve and reboot. */
public final class LinuxInitControl implements InitControl {
    /** RLIMIT_NOFILE on Linux. */
    static final int RLIMIT_NOFILE = 7;
    /** LINUX_REBOOT_CMD_POWER_OFF. */
    static final int LINUX_REBOOT_CMD_POWER_OFF = 0x4321FEDC;

    private final NvrcPaths paths;
    private final Pid1Guard guard;

    /** Controls this process; refuses everything unless {@code guard} says PID 1. */
    public LinuxInitControl(NvrcPaths paths, Pid1Guard guard) {
        this.paths = paths;
        this.guard = guard;
    }

    @Override
    public void setOpenFileLimit(long soft, long hard) throws BootFailure {
        String what = "set RLIMIT_NOFILE to " + soft + "/" + hard;
        guard.require(what);
        CheckedLibC.setrlimit(what, RLIMIT_NOFILE, new long[] {soft, hard});
    }

    /** The current RLIMIT_NOFILE as {@code {soft, hard}} (read-only, no guard). */
    public long[] openFileLimit() throws BootFailure {
        long[] limit = new long[2];
        CheckedLibC.getrlimit("getrlimit(RLIMIT_NOFILE)", RLIMIT_NOFILE, limit);
        return limit;
    }

    @Override
    public void setOomScoreAdj(long pid, int adj) throws BootFailure {
        if (adj < -1000 || adj > 1000) {
            throw new BootFailure("oom_score_adj " + adj + " out of range -1000..1000");
        }
        Path file = paths.resolve("/proc/" + (pid == 0 ? "self" : Long.toString(pid)) + "/oom_score_adj");
        guard.require("write oom_score_adj " + adj + " to " + file);
        try {
            KernelFile.write(file, Integer.toString(adj));
        } catch (IOException e) {
            throw new BootFailure("write " + adj + " to " + file + ": " + IoReason.of(e), e);
        }
    }

    /**
     * Replaces this process. Every descriptor above 2 except those given to
     * {@link InheritedFds#keep} is closed on exec, and the new program starts with no signal
     * blocked (HotSpot blocks SIGQUIT in Java threads).
     */
    @Override
    public void execve(String path, List<String> argv, Map<String, String> env) throws BootFailure {
        guard.require("execve " + path);
        String[] args = argv.toArray(new String[argv.size() + 1]);
        List<String> entries = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).sorted().toList();
        String[] envp = entries.toArray(new String[entries.size() + 1]);
        System.out.flush();
        System.err.flush();
        InheritedFds.closeOthersOnExec(paths.resolve("/proc/self/fd"));
        SignalMask.clear();
        CheckedLibC.execve("execve " + path, path, args, envp);
    }

    /**
     * sync(2), then reboot(2) with LINUX_REBOOT_CMD_POWER_OFF. If the kernel refuses, the process
     * halts: PID 1 ending makes the kernel panic, which ends the VM as well. Outside PID 1 this
     * refuses with an {@link IllegalStateException} and changes nothing.
     */
    @Override
    public void powerOff() {
        try {
            guard.require("power off");
        } catch (BootFailure e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        LibC libc = Native.libc();
        libc.sync();
        libc.reboot(LINUX_REBOOT_CMD_POWER_OFF);
        KernelLog.writeUnconditionally("power off failed: " + ErrnoText.last() + "; halting PID 1");
        Runtime.getRuntime().halt(1);
    }
}
