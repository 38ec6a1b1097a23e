/**
 * The boot as data: {@link dev.nvrc.core.plan.Step}s, each describable without running it (for
 * {@code nvrc plan}) and runnable against the ports, and {@link dev.nvrc.core.plan.Decision}s,
 * which return the values later steps are built from. A {@link dev.nvrc.core.plan.Walk} is what
 * the boot ({@code BootRunner}) or a plan ({@link dev.nvrc.core.plan.PlanWalk}) does with each in
 * the boot's order.
 */
package dev.nvrc.core.plan;
