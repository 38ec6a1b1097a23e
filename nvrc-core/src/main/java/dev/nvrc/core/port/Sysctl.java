package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;

/** Kernel parameters under /proc/sys, named with dots ({@code kernel.modules_disabled}). */
public interface Sysctl {
    /** Writes {@code value} (no newline added) to the key; a failure names the key. */
    void write(String key, String value) throws BootFailure;

    /**
     * Writes {@code value} to the key if this kernel has it; returns false, writing nothing, when
     * the key does not exist (a kernel built without the feature, such as
     * {@code kernel.modules_disabled} without {@code CONFIG_MODULES}). Every other failure is a
     * {@link BootFailure} as in {@link #write}. The default is for machines where every key
     * exists: it writes and returns true.
     */
    default boolean writeIfPresent(String key, String value) throws BootFailure {
        write(key, value);
        return true;
    }

    /** Reads the key's value, trimmed. */
    String read(String key) throws BootFailure;
}
