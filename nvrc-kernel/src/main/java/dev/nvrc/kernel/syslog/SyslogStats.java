package dev.nvrc.kernel.syslog;

/**
 * Counters of the syslog sink since it was opened.
 *
 * @param received datagrams read from the socket (control datagrams excluded)
 * @param forwarded messages written to the kernel log
 * @param forwardDropped messages not written to the kernel log because its queue was full
 * @param receiveErrors failed receive calls
 */
public record SyslogStats(long received, long forwarded, long forwardDropped, long receiveErrors) {}
