package dev.nvrc.core.api;

import java.util.List;
import java.util.Objects;

/**
 * Why an nvrc library call could not do what was asked: an invalid kernel command line, a sysfs or
 * driver file that is missing or malformed, a topology no mode fits, an option that is not an
 * absolute guest path, a target that cannot be written.
 *
 * <p>The message is the one the init itself would log before powering the VM off: it names the
 * token, parameter, file or device at fault and what was expected. For a command line every
 * problem is listed ({@link #problems()}), in command-line order.
 */
public final class NvrcException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Kept as strings so that the exception stays serializable. */
    private final List<String> problems;

    /**
     * A failure with one problem.
     *
     * @param message what is wrong, naming the token, file or path and why
     */
    public NvrcException(String message) {
        this(List.of(Objects.requireNonNull(message, "message")), null);
    }

    /**
     * A failure with one problem and its low-level cause (kept for debugging only).
     *
     * @param message what is wrong, naming the token, file or path and why
     * @param cause the low-level cause, or {@code null}
     */
    public NvrcException(String message, Throwable cause) {
        this(List.of(Objects.requireNonNull(message, "message")), cause);
    }

    /**
     * A failure with several problems; the message joins them with {@code "; "}.
     *
     * @param problems what is wrong, one entry each, at least one
     * @param cause the low-level cause, or {@code null}
     * @throws IllegalArgumentException when {@code problems} is empty
     */
    public NvrcException(List<String> problems, Throwable cause) {
        super(String.join("; ", nonEmpty(problems)), cause);
        this.problems = List.copyOf(problems);
    }

    /**
     * Every problem found: for a kernel command line one {@code token: message} entry per problem,
     * otherwise the message alone.
     *
     * @return the problems, never empty
     */
    public List<String> problems() {
        return problems;
    }

    private static List<String> nonEmpty(List<String> problems) {
        if (Objects.requireNonNull(problems, "problems").isEmpty()) {
            throw new IllegalArgumentException("an NvrcException needs at least one problem");
        }
        return problems;
    }
}
