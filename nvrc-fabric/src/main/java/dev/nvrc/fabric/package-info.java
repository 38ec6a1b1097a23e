/** See DESIGN.md: the nvrc-fabric module. */
package dev.nvrc.fabric;
