package dev.nvrc.core.cmdline;

import java.util.Objects;

/**
 * One parameter of the kernel command line.
 *
 * @param key the text before the first {@code =} (quotes removed)
 * @param value the text after it with surrounding quotes removed, or {@code null} for a flag
 *     without {@code =}
 * @param raw the token as it stood on the command line, for messages
 */
public record Token(String key, String value, String raw) {
    public Token {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(raw, "raw");
    }

    /** True for a key written without {@code =}. */
    public boolean isFlag() {
        return value == null;
    }
}
