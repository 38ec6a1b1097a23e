package dev.nvrc.kernel.libc;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;

/**
 * The loaded libc binding, created on first use.
 *
 * <p>{@link #warmUp()} lets a boot create it on another thread while the first thread is still
 * busy with work that needs no native call (the boot path's other first uses, class loading).
 */
public final class Native {
    private Native() {}

    private static final class LibcHolder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    /** The libc binding. */
    public static LibC libc() {
        return LibcHolder.LIBC;
    }

    /** errno of the last {@link LibC} call made by this thread. */
    public static int errno() {
        return LastError.getLastError(LibcHolder.RUNTIME);
    }

    /** Creates the binding now, on the calling thread, if nobody has yet (class initialisation is once). */
    public static void warmUp() {
        libc();
    }
}
