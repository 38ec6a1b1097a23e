package dev.nvrc.core.cmdline;

import dev.nvrc.core.BootFailure;
import java.util.List;
import java.util.stream.Collectors;

/** The command line has one or more problems; all of them are listed, in command-line order. */
public final class InvalidCommandLineException extends BootFailure {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /** Wraps a non-empty list of problems. */
    public InvalidCommandLineException(List<ConfigProblem> problems) {
        super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems");
        }
        this.problems = List.copyOf(problems);
    }

    /** Every problem found. */
    public List<ConfigProblem> problems() {
        return problems;
    }
}
