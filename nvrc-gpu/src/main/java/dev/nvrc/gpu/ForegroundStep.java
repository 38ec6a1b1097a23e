package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** Runs one program to completion; a non-zero exit, a signal or the timeout fails the boot. */
final class ForegroundStep implements Step {
    private final String name;
    private final String program;
    private final Supplier<List<String>> argv;
    private final Duration timeout;

    /**
     * @param name the step's stable name
     * @param program the program's short name for messages ({@code nvidia-smi})
     * @param argv builds the argv when the step is described or run
     */
    ForegroundStep(String name, String program, Supplier<List<String>> argv, Duration timeout) {
        this.name = name;
        this.program = program;
        this.argv = argv;
        this.timeout = timeout;
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
        context.ports().processes().run(Command.of(program, argv.get()), timeout);
    }
}
