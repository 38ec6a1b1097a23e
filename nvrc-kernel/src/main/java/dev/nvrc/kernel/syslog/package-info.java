/**
 * The receiving end of /dev/log: {@link dev.nvrc.kernel.syslog.LinuxSyslogSink} reads datagrams
 * on its own thread as they arrive, cleans them ({@link dev.nvrc.kernel.syslog.SyslogText}),
 * resolves readiness-marker watches at once, keeps recent messages and forwards them to the
 * kernel log through a bounded queue.
 */
package dev.nvrc.kernel.syslog;
