/**
 * The boot's plan, the one builder of the init's steps ({@link dev.nvrc.plan.BootPlan}): the
 * phases that decide (command line, extensions, topology), the steps built from what they decide,
 * and the interfaces of the machine they run on ({@link dev.nvrc.plan.BootMachine}). The launcher
 * runs it on the Linux adapters and {@code nvrc plan} prints it; {@link dev.nvrc.plan.api} offers
 * it to other tools as values. Internal: only the {@code api} package is supported API.
 */
package dev.nvrc.plan;
