/**
 * The supported library API of nvrc-plan: what a guest will run, as data. {@link
 * dev.nvrc.plan.api.GuestPlan#of GuestPlan.of(commandLine, guestRoot)} gives the init's steps for a
 * kernel command line on a machine or image tree ({@link dev.nvrc.plan.api.PlannedStep}: the
 * program and arguments it runs or the file it writes, what it waits for), with the mode decision
 * ({@link dev.nvrc.core.api.ModeDecision}), the guest layout and the CDI devices containers will
 * see: the same data {@code nvrc plan --json} prints and the boot runs, from the same builder.
 * Every failure is a {@link dev.nvrc.core.api.NvrcException}.
 *
 * <p>Only the {@code api} packages are supported API: their public signatures use JDK types and
 * {@code api} types only, and they change only with a note in docs/library.md. Every other
 * package of nvrc is the init's internals and may change in any release.
 */
package dev.nvrc.plan.api;
