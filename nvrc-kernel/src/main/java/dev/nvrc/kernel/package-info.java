/** See DESIGN.md: the nvrc-kernel module. */
package dev.nvrc.kernel;
