/**
 * The kernel log, nvrc's one logging API: {@link dev.nvrc.kernel.log.KernelLog} writes
 * {@code <PRI>nvrc: ...} records to /dev/kmsg (the console until /dev exists) at the level of
 * {@code nvrc.log}. There is no logging framework behind it (docs/dependencies.md says why) and no
 * {@link java.lang.System.LoggerFinder}: a JVM that embeds nvrc's libraries keeps its own logging.
 */
package dev.nvrc.kernel.log;
