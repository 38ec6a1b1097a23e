/**
 * The kernel command line: tokenizer, parameter table and the boot's typed configuration read
 * from it, {@link dev.nvrc.core.cmdline.BootConfig}.
 *
 * <p>Entry point: {@link dev.nvrc.core.cmdline.ConfigParser#parse(String)}.
 */
package dev.nvrc.core.cmdline;
