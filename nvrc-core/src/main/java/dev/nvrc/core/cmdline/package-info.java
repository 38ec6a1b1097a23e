/**
 * The kernel command line: tokenizer, parameter table and the typed {@link dev.nvrc.core.cmdline.Config}.
 *
 * <p>Entry point: {@link dev.nvrc.core.cmdline.ConfigParser#parse(String)}.
 */
package dev.nvrc.core.cmdline;
