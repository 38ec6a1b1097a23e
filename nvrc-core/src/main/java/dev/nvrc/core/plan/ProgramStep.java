package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Runs one program to completion in the foreground: a non-zero exit, a signal or running past the
 * timeout fails the step, in the process runner's words ({@link dev.nvrc.core.port.PortFailures}).
 * The plan shows its argv, {@code runs: foreground}, {@code timeout_s} and any further details.
 *
 * <p>A step may ask for the kernel's lines of that moment in its failure (those starting with one
 * of its prefixes: a driver explains itself there, not on modprobe's stderr) and add a hint that
 * depends on the failure's text ({@link #explainedBy}).
 */
public final class ProgramStep implements Step {
    private final String name;
    private final String program;
    private final List<String> argv;
    private final Duration timeout;
    private final Map<String, Object> details;
    private final List<String> kernelPrefixes;
    private final UnaryOperator<String> hint;

    /**
     * @param name the step's stable name ({@code nvidia-smi -lgc})
     * @param program the program's short name for messages ({@code nvidia-smi})
     * @param argv the full argv, argv[0] the guest path executed
     * @param timeout how long it may run
     */
    public ProgramStep(String name, String program, List<String> argv, Duration timeout) {
        this(name, program, argv, timeout, Map.of(), List.of(), UnaryOperator.identity());
    }

    private ProgramStep(String name, String program, List<String> argv, Duration timeout, Map<String, Object> details,
            List<String> kernelPrefixes, UnaryOperator<String> hint) {
        this.name = Objects.requireNonNull(name, "name");
        this.program = Objects.requireNonNull(program, "program");
        this.argv = List.copyOf(argv);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.details = details;
        this.kernelPrefixes = List.copyOf(kernelPrefixes);
        this.hint = Objects.requireNonNull(hint, "hint");
    }

    /**
     * This step, quoting on failure the kernel's lines logged while it ran that start with one of
     * {@code prefixes}, with {@code hint} applied to the failure's message (it returns the message,
     * extended or not).
     */
    public ProgramStep explainedBy(List<String> prefixes, UnaryOperator<String> hint) {
        return new ProgramStep(name, program, argv, timeout, details, prefixes, hint);
    }

    /** This step with one more plan detail (after the standard ones). */
    public ProgramStep with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(details);
        more.put(key, value);
        return new ProgramStep(name, program, argv, timeout, more, kernelPrefixes, hint);
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
        try {
            context.ports().processes().run(Command.of(program, argv), timeout, kernelPrefixes);
        } catch (BootFailure e) {
            String message = hint.apply(e.getMessage());
            throw message.equals(e.getMessage()) ? e : new BootFailure(message, e);
        }
    }
}
