package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;

/** Kernel parameters under /proc/sys, named with dots ({@code kernel.modules_disabled}). */
public interface Sysctl {
    /** Writes {@code value} (no newline added) to the key; a failure names the key. */
    void write(String key, String value) throws BootFailure;

    /** Reads the key's value, trimmed. */
    String read(String key) throws BootFailure;
}
