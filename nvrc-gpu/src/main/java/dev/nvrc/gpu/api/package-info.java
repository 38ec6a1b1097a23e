/**
 * The supported library API of nvrc-gpu: the Container Device Interface (CDI) spec of a guest's
 * NVIDIA GPUs, generated without {@code nvidia-ctk} from the driver's files under a root
 * ({@link dev.nvrc.gpu.api.NvidiaCdiSpec}) and where to find them
 * ({@link dev.nvrc.gpu.api.CdiSpecOptions}); it is what {@code nvrc cdi --root} prints. Failures
 * are {@link dev.nvrc.core.api.NvrcException}s naming the file at fault.
 *
 * <p>Only the {@code api} packages are supported API (docs/library.md); every other package of
 * nvrc may change in any release.
 */
package dev.nvrc.gpu.api;
