/**
 * What only PID 1 does to itself: the {@link dev.nvrc.core.port.InitControl} adapter (open-file
 * limit, OOM score, execve handoff, power-off) and the set of descriptors handed across execve.
 */
package dev.nvrc.kernel.init;
