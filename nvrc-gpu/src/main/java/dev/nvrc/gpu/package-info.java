/**
 * GPU mode: driver modules, nvidia-persistenced and its readiness, nvidia-smi settings, DCGM and
 * the daemons' health, as {@link dev.nvrc.core.plan.Step}s built by {@link dev.nvrc.gpu.GpuSteps}.
 *
 * <p>The steps reach the machine only through core's ports, so they run against fakes in tests.
 * CDI spec generation lives in {@code dev.nvrc.gpu.cdi}.
 */
package dev.nvrc.gpu;
