/**
 * The system-setup steps of the boot, on core's ports only: the mounts, {@code lo}, the sysctls,
 * the extra modules of {@code nvrc.modules}, the module lockdown and the read-only root, and the
 * filesystems every boot mounts ({@link dev.nvrc.core.system.BootMounts}). nvrc-plan's
 * {@code BootPlan} puts them in the boot's order.
 */
package dev.nvrc.core.system;
