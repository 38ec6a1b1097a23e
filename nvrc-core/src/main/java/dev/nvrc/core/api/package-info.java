/**
 * The supported library API of nvrc-core, for guest tooling other than the init: read a kernel
 * command line into nvrc's settings ({@link dev.nvrc.core.api.Settings}), read the PCI topology
 * of a sysfs tree ({@link dev.nvrc.core.api.PciTopology}) and decide the mode the init would run
 * ({@link dev.nvrc.core.api.ModeDecision}). Every failure is a
 * {@link dev.nvrc.core.api.NvrcException} whose message names the token or file at fault and why.
 *
 * <p>Only the {@code api} packages are supported API: their public signatures use JDK types and
 * {@code api} types only, and they change only with a note in docs/library.md. Every other
 * package of nvrc is the init's internals and may change in any release.
 */
package dev.nvrc.core.api;
