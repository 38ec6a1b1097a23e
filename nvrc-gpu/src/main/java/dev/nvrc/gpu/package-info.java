/** See DESIGN.md: the nvrc-gpu module. */
package dev.nvrc.gpu;
