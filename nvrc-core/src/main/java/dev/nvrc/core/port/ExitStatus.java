package dev.nvrc.core.port;

/**
 * How a process ended: an exit code, or the signal that killed it.
 *
 * @param code exit code (0..255) when {@code signal == 0}
 * @param signal the terminating signal number, 0 when the process exited normally
 */
public record ExitStatus(int code, int signal) {
    /** A normal exit with {@code code}. */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0);
    }

    /** Killed by {@code signal}. */
    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal);
    }

    /** True for a normal exit with code 0. */
    public boolean success() {
        return signal == 0 && code == 0;
    }

    @Override
    public String toString() {
        return signal == 0 ? "exit code " + code : "killed by signal " + signal;
    }
}
