package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import java.util.List;
import java.util.function.Supplier;

/**
 * Starts a daemon that logs no readiness marker (nv-hostengine, dcgm-exporter) and tracks it
 * until the handoff; the health step finds out if it died.
 */
final class DaemonStep implements Step {
    private final String name;
    private final Supplier<List<String>> argv;

    /**
     * @param name the step's name, also the daemon's name in messages
     * @param argv builds the argv when the step is described or run
     */
    DaemonStep(String name, Supplier<List<String>> argv) {
        this.name = name;
        this.argv = argv;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name, argv.get()).with("runs", "background");
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        start(context, name, argv.get());
    }

    /** Starts {@code argv} as the daemon {@code name} and tracks it. */
    static Daemon start(BootContext context, String name, List<String> argv) throws BootFailure {
        Daemon daemon = context.ports().processes().start(Command.of(name, argv));
        context.daemons().add(daemon);
        return daemon;
    }
}
