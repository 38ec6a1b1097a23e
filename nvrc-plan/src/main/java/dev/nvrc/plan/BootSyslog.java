package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;

/** The /dev/log socket across the boot: bound once /dev exists, handed to the drainer at the end. */
public interface BootSyslog {
    /** Raises {@code net.unix.max_dgram_qlen} and binds /dev/log. */
    void start() throws BootFailure;

    /**
     * Stops the JVM's reader and returns the socket's descriptor, now without FD_CLOEXEC, for the
     * drainer that outlives the JVM.
     */
    int release() throws BootFailure;
}
