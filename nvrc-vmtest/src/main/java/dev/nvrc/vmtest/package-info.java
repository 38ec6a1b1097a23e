/**
 * The VM test harness: boots the boot image in QEMU (TCG is enough) with a guest initramfs built
 * around it (a stub kata-agent, the simulated NVIDIA tools, hardware fixtures) and classifies the
 * serial console: {@code VmRun run = Vm.boot(cmdline, timeout)}, then {@link VmRun#outcome()}.
 * Never shipped; see docs/vm-tests.md.
 */
package dev.nvrc.vmtest;
