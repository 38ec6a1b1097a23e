/**
 * The program: as PID 1 it boots the VM; otherwise it is the command-line tool
 * ({@code --help}, {@code version}, {@code check-cmdline}, {@code cdi}, {@code plan}) that never
 * touches the machine. The only place where real adapters are wired to steps.
 */
package dev.nvrc.launcher;
