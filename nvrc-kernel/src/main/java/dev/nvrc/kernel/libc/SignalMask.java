package dev.nvrc.kernel.libc;

/**
 * Runs an action with this thread's signal mask emptied.
 *
 * <p>HotSpot blocks SIGQUIT in every Java thread, and posix_spawn and execve hand the caller's
 * mask to the new program. Daemons and kata-agent must start with nothing blocked, and jnr-posix
 * cannot set a spawn's signal mask, so the mask is cleared around the call and restored after.
 */
public final class SignalMask {
    private static final int SIG_SETMASK = 2;
    /** glibc's sigset_t is 1024 bits. */
    private static final int SIGSET_BYTES = 128;

    private SignalMask() {}

    /** An action that may fail with a checked exception. */
    @FunctionalInterface
    public interface Action<T, E extends Exception> {
        T run() throws E;
    }

    /** Runs {@code action} with no signal blocked in this thread, then restores the old mask. */
    public static <T, E extends Exception> T withEmptyMask(Action<T, E> action) throws E {
        LibC libc = Native.libc();
        byte[] old = new byte[SIGSET_BYTES];
        boolean changed = libc.pthread_sigmask(SIG_SETMASK, new byte[SIGSET_BYTES], old) == 0;
        try {
            return action.run();
        } finally {
            if (changed) {
                libc.pthread_sigmask(SIG_SETMASK, old, null);
            }
        }
    }

    /** Empties this thread's mask for good (right before execve). */
    public static void clear() {
        Native.libc().pthread_sigmask(SIG_SETMASK, new byte[SIGSET_BYTES], null);
    }
}
