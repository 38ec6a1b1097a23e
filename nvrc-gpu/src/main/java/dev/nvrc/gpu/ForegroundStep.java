package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Runs one program to completion; a non-zero exit, a signal or the timeout fails the boot. A step
 * may ask for the kernel's lines of that moment in the failure (those starting with one of its
 * prefixes) and add a hint that depends on the failure's text.
 */
final class ForegroundStep implements Step {
    private final String name;
    private final String program;
    private final Supplier<List<String>> argv;
    private final Duration timeout;
    private final List<String> kernelPrefixes;
    private final UnaryOperator<String> hint;

    /**
     * @param name the step's stable name
     * @param program the program's short name for messages ({@code nvidia-smi})
     * @param argv builds the argv when the step is described or run (the gpu extension may
     *     appear in between)
     */
    ForegroundStep(String name, String program, Supplier<List<String>> argv, Duration timeout) {
        this.name = name;
        this.program = program;
        this.argv = argv;
        this.timeout = timeout;
        this.kernelPrefixes = List.of();
        this.hint = UnaryOperator.identity();
    }

    private ForegroundStep(ForegroundStep base, List<String> kernelPrefixes, UnaryOperator<String> hint) {
        this.name = base.name;
        this.program = base.program;
        this.argv = base.argv;
        this.timeout = base.timeout;
        this.kernelPrefixes = List.copyOf(kernelPrefixes);
        this.hint = hint;
    }

    /**
     * This step, quoting on failure the kernel's lines that start with one of {@code prefixes},
     * and with {@code hint} applied to the failure's message (it returns the message, extended or not).
     */
    ForegroundStep explainedBy(List<String> prefixes, UnaryOperator<String> hint) {
        return new ForegroundStep(this, prefixes, hint);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name, argv.get()).with("runs", "foreground").with("timeout_s", timeout.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        try {
            context.ports().processes().run(Command.of(program, argv.get()), timeout, kernelPrefixes);
        } catch (BootFailure e) {
            String message = hint.apply(e.getMessage());
            throw message.equals(e.getMessage()) ? e : new BootFailure(message, e);
        }
    }
}
