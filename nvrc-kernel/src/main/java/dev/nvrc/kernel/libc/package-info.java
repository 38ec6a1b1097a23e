/**
 * The few libc functions the adapters call directly (mount, ioctl, reboot, ...), bound on jffi,
 * and the errno text that failure messages quote.
 *
 * <p>Internal to nvrc-kernel: the rest of nvrc reaches the machine through the core ports only.
 */
package dev.nvrc.kernel.libc;
