/**
 * The Container Device Interface (CDI) spec that hands the guest's GPUs to containers.
 *
 * <p>{@link dev.nvrc.gpu.cdi.CdiSpecGenerator} builds the spec natively from what the driver and
 * the kernel show (no {@code nvidia-ctk}, no NVML): the GPUs of {@code /proc/driver/nvidia/gpus},
 * their device nodes and DRI nodes, and the user-space files of the loaded driver version. The
 * output has the shape, field order and version of {@code nvidia-ctk cdi generate --format=json}
 * so that container runtimes as old as podman 4.3 accept it. {@link dev.nvrc.gpu.cdi.CdiSteps}
 * turns either backend ({@code nvrc.cdi=native}, the default, or {@code nvrc.cdi=ctk}) into a boot
 * step.
 *
 * <p>Device nodes carry only {@code path} (and {@code hostPath} when the nodes live under another
 * root), never {@code type}, {@code major} or {@code minor}. CDI 0.5.0 allows those and podman 4.3
 * accepts them, but a runtime that is not given them reads them from the live node when it
 * creates the container, which stays right when the numbers change ({@code nvidia-uvm}'s major is
 * allocated dynamically, a module reload can move it), and {@code nvidia-ctk} leaves them out too.
 * The generator still checks that every node is a character device itself, not a link or a plain
 * file: runtimes {@code lstat} the node and refuse anything else ("not a device node").
 */
package dev.nvrc.gpu.cdi;
