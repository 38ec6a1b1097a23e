package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;

/**
 * Hands the bound /dev/log socket over to the syslog drainer that outlives the JVM: stops the
 * JVM's reader and makes the descriptor inheritable.
 */
public interface SyslogHandover {
    /** Stops reading and returns the socket's descriptor, now without FD_CLOEXEC. */
    int release() throws BootFailure;
}
