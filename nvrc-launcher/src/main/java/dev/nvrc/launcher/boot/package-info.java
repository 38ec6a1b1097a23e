/**
 * The PID-1 program: the boot plan for a mode, the runner that times each step into the boot
 * report, the fail path (one {@code nvrc: FAILED} line, then power-off) and the handoff.
 */
package dev.nvrc.launcher.boot;
