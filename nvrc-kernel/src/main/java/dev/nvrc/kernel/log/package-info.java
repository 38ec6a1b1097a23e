/**
 * The kernel log: {@link dev.nvrc.kernel.log.KernelLog} writes {@code <PRI>nvrc: ...} records to
 * /dev/kmsg (the console until /dev exists), tinylog reaches it through
 * {@link dev.nvrc.kernel.log.KmsgWriter} and {@link java.lang.System.Logger} through
 * {@link dev.nvrc.kernel.log.KernelLoggerFinder}.
 */
package dev.nvrc.kernel.log;
