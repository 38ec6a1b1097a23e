/**
 * Child processes without forking the JVM: posix_spawnp through the libc binding
 * ({@link dev.nvrc.kernel.process.Spawner}), one PID-1 reaper thread blocked in
 * {@code waitpid(-1)} ({@link dev.nvrc.kernel.process.Reaper}) and the
 * {@link dev.nvrc.core.port.ProcessRunner} adapter on top.
 *
 * <p>The reaper owns every child of the JVM: nothing else in the process may start programs
 * (no {@code ProcessBuilder}), or the two would steal each other's exit statuses.
 */
package dev.nvrc.kernel.process;
