package dev.nvrc.core.port;

import java.util.List;

/**
 * The receiving end of {@code /dev/log}: daemons log through syslog(3), the sink strips the
 * {@code <PRI>} prefix, forwards each message to the kernel log and hands it to every open watch.
 */
public interface SyslogSink {
    /**
     * Opens a watch for a message containing {@code marker}. Open it before starting the daemon
     * so that an early marker cannot be missed.
     */
    MarkerWatch watch(String marker);

    /** Up to {@code max} of the most recent messages, oldest first. */
    List<String> recentMessages(int max);
}
