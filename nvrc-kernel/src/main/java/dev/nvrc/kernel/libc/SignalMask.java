package dev.nvrc.kernel.libc;

/**
 * Signal masks for new programs: the empty set a spawn gives its child, and clearing before execve.
 *
 * <p>HotSpot blocks SIGQUIT in every Java thread, and execve hands the caller's mask to the new
 * program: kata-agent must start with nothing blocked, so the mask is cleared right before the
 * exec. A spawn sets its child's mask through its attributes instead ({@link #empty()}).
 */
public final class SignalMask {
    private static final int SIG_SETMASK = 2;
    /** glibc's sigset_t is 1024 bits. */
    private static final int SIGSET_BYTES = 128;

    private SignalMask() {}

    /** An empty {@code sigset_t}, as bytes. */
    public static byte[] empty() {
        return new byte[SIGSET_BYTES];
    }

    /** Empties this thread's mask for good (right before execve). */
    public static void clear() {
        Native.libc().pthread_sigmask(SIG_SETMASK, new byte[SIGSET_BYTES], null);
    }
}
