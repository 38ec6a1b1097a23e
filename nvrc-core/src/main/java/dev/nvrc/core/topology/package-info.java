/**
 * How the init reads the PCI devices that matter to nvrc (GPUs, NVSwitches, SW_MNG management
 * NICs) into the api's {@link dev.nvrc.core.api.PciTopology}, and the mode decision made from
 * them. The values are the api's; the reading rules and the decision are the init's.
 */
package dev.nvrc.core.topology;
