/**
 * Mounting: the {@link dev.nvrc.core.port.Mounts} adapter, the /proc/self/mountinfo and
 * /proc/filesystems readers it decides with, and the pure decision whether a request mounts.
 */
package dev.nvrc.kernel.mount;
