package dev.nvrc.kernel.libc;

import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The loaded native libraries, each created on first use.
 *
 * <p>jnr-posix is by far the slowest to initialise, so mounts, sysctls and the loopback (the
 * early boot) only load the small {@link LibC} binding; jnr-posix is loaded at the first spawn.
 */
public final class Native {
    private Native() {}

    private static final class LibcHolder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final jnr.ffi.Runtime RUNTIME = jnr.ffi.Runtime.getRuntime(LIBC);
    }

    private static final class PosixHolder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    /** The small libc binding. */
    public static LibC libc() {
        return LibcHolder.LIBC;
    }

    /** errno of the last {@link LibC} call made by this thread. */
    public static int errno() {
        return LastError.getLastError(LibcHolder.RUNTIME);
    }

    /** jnr-posix, for posix_spawnp, waitpid, kill and execve. */
    public static POSIX posix() {
        return PosixHolder.POSIX;
    }
}
