package dev.nvrc.core.cmdline;

import java.util.Locale;

/** {@code nvrc.cdi}: who writes the CDI spec. */
public enum CdiBackend {
    /** nvrc's own Java generator (default). */
    NATIVE,
    /** {@code nvidia-ctk cdi generate}, as upstream does. */
    CTK;

    /** The lower-case value used on the command line. */
    public String canonical() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
