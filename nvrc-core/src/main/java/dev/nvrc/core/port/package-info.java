/**
 * The ports: small interfaces through which steps reach the machine.
 *
 * <p>{@code nvrc-kernel} implements them with system calls; tests implement them with fakes.
 * Every method that fails throws {@link dev.nvrc.core.BootFailure} with a message naming what
 * failed, never a bare errno.
 */
package dev.nvrc.core.port;
