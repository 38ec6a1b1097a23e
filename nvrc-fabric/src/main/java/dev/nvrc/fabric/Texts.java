package dev.nvrc.fabric;

import dev.nvrc.core.io.Printable;

/** Wording shared by the failure messages of this module. */
final class Texts {
    /** How much of a file's unexpected content a message quotes. */
    static final int QUOTE_LIMIT = 80;

    private Texts() {}

    /**
     * {@code text} quoted for a one-line message: control characters escaped, cut after
     * {@value #QUOTE_LIMIT} characters.
     */
    static String quote(String text) {
        return Printable.quote(text, QUOTE_LIMIT);
    }
}
