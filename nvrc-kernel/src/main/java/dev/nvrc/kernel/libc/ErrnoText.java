package dev.nvrc.kernel.libc;

import jnr.constants.platform.Errno;

/** Renders an errno value for a person: {@code EPERM (Operation not permitted)}. */
public final class ErrnoText {
    private ErrnoText() {}

    /** The symbolic name and description of {@code errno}, or {@code errno N} when unknown. */
    public static String of(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e == null || e == Errno.__UNKNOWN_CONSTANT__) {
            return "errno " + errno;
        }
        return e.name() + " (" + e.description() + ")";
    }

    /** The symbolic name only ({@code EROFS}), or {@code errno N} when unknown. */
    public static String name(int errno) {
        Errno e = Errno.valueOf(errno);
        if (e == null || e == Errno.__UNKNOWN_CONSTANT__) {
            return "errno " + errno;
        }
        return e.name();
    }

    /** The text of the errno left by the last {@link LibC} call of this thread. */
    public static String last() {
        return of(Native.errno());
    }
}
