package dev.nvrc.core.cmdline;

import java.util.Objects;

/**
 * One thing wrong with the command line.
 *
 * @param token the offending token as written (or the parameter name for combinations)
 * @param message what was expected, with a suggestion for near misses
 */
public record ConfigProblem(String token, String message) {
    public ConfigProblem {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(message, "message");
    }

    /** {@code token: message}. */
    @Override
    public String toString() {
        return token + ": " + message;
    }
}
