package dev.nvrc.core;

import java.util.Objects;

/**
 * A reason to stop the boot and power the VM off.
 *
 * <p>The message is meant for a person reading the kernel log: it names the parameter, file,
 * device or daemon at fault and what was expected. At the top of the init every failure becomes
 * exactly one {@code nvrc: FAILED <step>: <message>} line.
 */
public class BootFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** Creates a failure with a message a person can act on. */
    public BootFailure(String message) {
        super(Objects.requireNonNull(message, "message"));
    }

    /** Creates a failure with a message and the low-level cause (kept for debugging only). */
    public BootFailure(String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
    }
}
