package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
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
     * Starts receiving: raises {@code net.unix.max_dgram_qlen} to {@link #BOOT_MAX_DGRAM_QLEN}
     * (never lowers it) and binds {@code /dev/log}, mode 0666. Once, after /dev is mounted; watches
     * may be opened before.
     */
    void bind() throws BootFailure;

    /**
     * Stops receiving in this process and hands the socket on: returns its descriptor, now without
     * FD_CLOEXEC, for the drainer that outlives the JVM (the handoff). Nothing is received here
     * afterwards.
     */
    int releaseToDrainer() throws BootFailure;

    /**
     * Opens a watch for a message containing {@code marker}. Open it before starting the daemon
     * so that an early marker cannot be missed.
     */
    MarkerWatch watch(String marker);

    /** Up to {@code max} of the most recent messages, oldest first. */
    List<String> recentMessages(int max);
}
