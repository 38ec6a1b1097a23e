package dev.nvrc.kernel;

import dev.nvrc.core.BootFailure;
import java.util.function.LongSupplier;

/**
 * Refuses machine-changing calls unless this process is PID 1.
 *
 * <p>Every adapter that mounts, writes a sysctl, changes a network interface, limits, OOM
 * scores, replaces the process or powers off asks the guard first. PID 1 means the init of a VM
 * or the init of a fresh PID namespace (the sandbox); a developer or test JVM on a host is never
 * PID 1, so running the adapters there cannot change the host.
 */
public final class Pid1Guard {
    private final LongSupplier pid;

    private Pid1Guard(LongSupplier pid) {
        this.pid = pid;
    }

    /** The guard of this process (getpid(2), read at every check). */
    public static Pid1Guard system() {
        return new Pid1Guard(() -> ProcessHandle.current().pid());
    }

    /** True when this process is PID 1. */
    public boolean isPid1() {
        return pid.getAsLong() == 1;
    }

    /**
     * Fails unless this process is PID 1.
     *
     * @param action what the caller is about to do, for the message ({@code mount proc on /proc})
     */
    public void require(String action) throws BootFailure {
        long current = pid.getAsLong();
        if (current != 1) {
            throw new BootFailure("refusing to " + action + ": this process is pid " + current
                    + ", not PID 1 (nvrc changes the machine only as the init of a VM or of a sandbox namespace)");
        }
    }
}
