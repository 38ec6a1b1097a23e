package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one program to completion in the foreground: a non-zero exit, a signal or running past the
 * timeout fails the step, in the process runner's words ({@link dev.nvrc.core.port.PortFailures}).
 * The plan shows its argv, {@code runs: foreground}, {@code timeout_s} and any further details.
 */
public final class ProgramStep implements Step {
    private final String name;
    private final String program;
    private final List<String> argv;
    private final Duration timeout;
    private final Map<String, Object> details;

    /**
     * @param name the step's stable name ({@code nvidia-smi -lgc})
     * @param program the program's short name for messages ({@code nvidia-smi})
     * @param argv the full argv, argv[0] the guest path executed
     * @param timeout how long it may run
     */
    public ProgramStep(String name, String program, List<String> argv, Duration timeout) {
        this(name, program, argv, timeout, Map.of());
    }

    private ProgramStep(String name, String program, List<String> argv, Duration timeout, Map<String, Object> details) {
        this.name = Objects.requireNonNull(name, "name");
        this.program = Objects.requireNonNull(program, "program");
        this.argv = List.copyOf(argv);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.details = details;
    }

    /** This step with one more plan detail (after the standard ones). */
    public ProgramStep with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new ProgramStep(name, program, argv, timeout, more);
    }

    /** The argv it runs. */
    public List<String> argv() {
        return argv;
    }

    /** How long it may run. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public PlanEntry describe() {
        PlanEntry entry = PlanEntry.run(name, argv).with("runs", "foreground");
        for (Map.Entry<String, Object> d : details.entrySet()) {
            entry = entry.with(d.getKey(), d.getValue());
        }
        return entry.with("timeout_s", timeout.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().processes().run(Command.of(program, argv), timeout);
    }
}
