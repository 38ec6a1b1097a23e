/**
 * The files of /proc and /sys as the kernel serves them: read to end of file (they report size 0),
 * written with one write(2) each (a sysctl handler parses each write on its own).
 */
package dev.nvrc.kernel.procfs;
