/**
 * The PID-1 program: the Linux machine the plan of nvrc-plan ({@code dev.nvrc.plan.BootPlan}) runs
 * on, the boot that walks it, the runner that times each step into the boot report, the fail path
 * (one {@code nvrc: FAILED} line, then power-off), and which nvrc runs (the hash of its jar).
 */
package dev.nvrc.launcher.boot;
