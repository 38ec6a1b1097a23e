/** Small helpers shared by the adapters: whole-file reads and writes of kernel files, bounded line rings. */
package dev.nvrc.kernel.support;
