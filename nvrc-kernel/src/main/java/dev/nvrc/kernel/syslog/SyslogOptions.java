package dev.nvrc.kernel.syslog;

/**
 * Sizes of the syslog sink.
 *
 * @param receiveBufferBytes SO_RCVBUF of the socket (the kernel caps it at net.core.rmem_max)
 * @param maxDatagramBytes longest datagram kept whole; longer ones are truncated
 * @param recentMessages how many recent messages {@link LinuxSyslogSink#recentMessages} keeps
 * @param forwardQueue how many messages may wait for the kernel log writer before new ones are
 *     dropped from forwarding (never from marker matching or the recent messages)
 */
public record SyslogOptions(int receiveBufferBytes, int maxDatagramBytes, int recentMessages, int forwardQueue) {
    /** 4 MiB receive buffer, 64 KiB datagrams, 512 recent messages, 8192 queued for the kernel log. */
    public static final SyslogOptions DEFAULT = new SyslogOptions(4 << 20, 64 << 10, 512, 8192);

    public SyslogOptions {
        if (receiveBufferBytes < 0 || maxDatagramBytes < 1 || recentMessages < 1 || forwardQueue < 1) {
            throw new IllegalArgumentException("invalid syslog options: " + receiveBufferBytes + ", "
                    + maxDatagramBytes + ", " + recentMessages + ", " + forwardQueue);
        }
    }
}
