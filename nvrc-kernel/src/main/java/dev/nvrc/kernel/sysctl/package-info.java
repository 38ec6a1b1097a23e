/** Kernel parameters: the {@link dev.nvrc.core.port.Sysctl} adapter over /proc/sys. */
package dev.nvrc.kernel.sysctl;
