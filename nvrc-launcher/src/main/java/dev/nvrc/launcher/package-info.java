/** See DESIGN.md: the nvrc-launcher module. */
package dev.nvrc.launcher;
