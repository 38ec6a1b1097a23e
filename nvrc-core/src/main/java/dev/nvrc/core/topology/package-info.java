/**
 * The PCI devices that matter to nvrc (GPUs, NVSwitches, SW_MNG management NICs) and the mode
 * decision made from them.
 */
package dev.nvrc.core.topology;
