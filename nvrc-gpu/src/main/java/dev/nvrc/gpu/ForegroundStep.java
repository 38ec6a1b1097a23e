package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.time.Duration;

/** Runs one program to completion; a non-zero exit, a signal or the timeout fails the boot. */
final class ForegroundStep implements Step {
    private final String name;
    private final String program;
    private final ArgvBuilder argv;
    private final GpuExtension extension;
    private final Duration timeout;

    /**
     * @param name the step's stable name
     * @param program the program's short name for messages ({@code nvidia-smi})
     */
    ForegroundStep(String name, String program, ArgvBuilder argv, GpuExtension extension, Duration timeout) {
        this.name = name;
        this.program = program;
        this.argv = argv;
        this.extension = extension;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name, argv.argv(extension)).with("runs", "foreground").with("timeout_s", timeout.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().processes().run(Command.of(program, argv.argv(extension)), timeout);
    }
}
