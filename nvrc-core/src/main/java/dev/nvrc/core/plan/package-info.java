/**
 * The boot as data: an ordered list of {@link dev.nvrc.core.plan.Step}s, each describable without
 * running it (for {@code nvrc plan}) and runnable against the ports.
 */
package dev.nvrc.core.plan;
