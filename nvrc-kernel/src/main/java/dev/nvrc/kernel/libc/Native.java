package dev.nvrc.kernel.libc;

import com.kenai.jffi.LastError;

/**
 * The loaded libc binding, created on first use, on whichever thread comes first.
 *
 * <p>A binding that cannot be created fails the same way on every thread and every call, with
 * the loader's own reason (a class whose initialiser threw would say only "Could not initialize
 * class" to every caller after the first).
 */
public final class Native {
    private Native() {}

    private static final class LibcHolder {
        static final LibC LIBC;
        static final Throwable FAILURE;

        static {
            LibC libc = null;
            Throwable failure = null;
            try {
                libc = new JffiLibC();
            } catch (RuntimeException | LinkageError e) {
                failure = e;
            }
            LIBC = libc;
            FAILURE = failure;
        }
    }

    /**
     * The libc binding.
     *
     * @throws IllegalStateException when it cannot be created (no jffi library for this machine, no libc)
     */
    public static LibC libc() {
        if (LibcHolder.FAILURE != null) {
            throw new IllegalStateException("cannot bind libc through jffi: " + LibcHolder.FAILURE, LibcHolder.FAILURE);
        }
        return LibcHolder.LIBC;
    }

    /** errno of the last {@link LibC} call made by this thread. */
    public static int errno() {
        libc();
        return LastError.getInstance().get();
    }
}
