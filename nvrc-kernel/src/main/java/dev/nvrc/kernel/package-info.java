/**
 * The Linux adapters behind nvrc-core's ports.
 *
 * <p>{@link dev.nvrc.kernel.LinuxPorts} wires them for the launcher (the standard mount list they
 * mount is core's {@code BootMounts}); {@link dev.nvrc.kernel.Pid1Guard} keeps every machine-changing call
 * from running anywhere but as PID 1 (a VM's init or a sandbox namespace's init). The kernel log
 * is {@link dev.nvrc.kernel.log.KernelLog}.
 */
package dev.nvrc.kernel;
