package dev.nvrc.core.port;

import java.util.List;

/**
 * The receiving end of {@code /dev/log}: daemons log through syslog(3), the sink strips the
 * {@code <PRI>} prefix, forwards each message to the kernel log and hands it to every open watch.
 */
public interface SyslogSink {
    /**
     * The net.unix.max_dgram_qlen the boot sets before binding /dev/log. The kernel default of 10
     * queued datagrams makes a burst of daemon log lines block the daemons; the queue length is
     * copied into a socket when it is created, so it is raised first. Here, beside the port, so
     * that the plan can show it without the Linux adapter.
     */
    int BOOT_MAX_DGRAM_QLEN = 4096;

    /**
     * Opens a watch for a message containing {@code marker}. Open it before starting the daemon
     * so that an early marker cannot be missed.
     */
    MarkerWatch watch(String marker);

    /** Up to {@code max} of the most recent messages, oldest first. */
    List<String> recentMessages(int max);
}
