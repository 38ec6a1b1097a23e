/**
 * The Container Device Interface (CDI) spec that hands the guest's GPUs to containers.
 *
 * <p>{@link dev.nvrc.gpu.cdi.CdiSpecGenerator} builds the spec natively from what the driver and
 * the kernel show (no {@code nvidia-ctk}, no NVML): the GPUs of {@code /proc/driver/nvidia/gpus},
 * their device nodes and DRI nodes, and the user-space files of the loaded driver version. The
 * output has the shape, field order and version rule of {@code nvidia-ctk cdi generate --format=json}
 * (v1.20): the lowest CDI version its content needs, 0.5.0 (which podman 4.3 accepts) unless a
 * node needs an additional group (0.7.0, which kata-agent's CDI crate accepts). {@link dev.nvrc.gpu.cdi.CdiSteps}
 * turns either backend ({@code nvrc.cdi=native}, the default, or {@code nvrc.cdi=ctk}) into a boot
 * step.
 *
 * <p>Device nodes carry what {@code nvidia-ctk} (v1.19 and later) reads from the live node:
 * {@code major}, {@code minor}, the permission bits, {@code rwm} and the group, and a device's
 * edits the groups its container user needs ({@code additionalGids}, CDI 0.7.0). The numbers are
 * read once at boot, after the driver's modules are loaded and before module loading is locked
 * down, so the dynamically allocated major of {@code nvidia-uvm} cannot move under the spec. Every
 * node must be a character device itself, not a link or a plain file: runtimes {@code lstat} the
 * node and refuse anything else ("not a device node"). Hooks are written only when the image's
 * {@code nvidia-cdi-hook} has them ({@link dev.nvrc.gpu.cdi.CdiHooks}).
 */
package dev.nvrc.gpu.cdi;
