package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code kata-agent}: checks, before any GPU or fabric work, that the program the boot ends in is
 * there. Without it the whole bring-up would run, minutes with many GPUs, only for the handoff's
 * execve to fail. A regular file (links followed) with an execute bit passes; the execve at the
 * end still has the last word. Its description says what the check finds on the machine's tree
 * ({@code "found"}): {@code nvrc plan} shows that verdict and does not stop there, since a plan
 * also previews trees that are not images (a host's {@code /}, a fixture), which have no agent.
 */
final class AgentCheckStep implements Step {
    static final String NAME = "kata-agent";
    private static final Set<PosixFilePermission> EXECUTE = Set.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    @Override
    public String name() {
        return NAME;
    }

    /** The machine's tree, whose agent the description reports on. */
    private final NvrcPaths machine;

    private AgentCheckStep(NvrcPaths machine) {
        this.machine = machine;
    }

    /** The check of the machine whose files are at {@code paths}. */
    static AgentCheckStep on(NvrcPaths paths) {
        return new AgentCheckStep(paths);
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", HandoffStep.AGENT);
        d.put("checks", "a regular file with an execute bit");
        d.put("found", problem(machine).map(p -> "FAILS here: " + p).orElse("ok"));
        return PlanEntry.of(NAME, d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        Optional<BootFailure> failure = check(context.paths());
        if (failure.isPresent()) {
            throw failure.get();
        }
    }

    static Optional<String> problem(NvrcPaths paths) {
        return check(paths).map(Throwable::getMessage);
    }

    private static Optional<BootFailure> check(NvrcPaths paths) {
        Path agent = paths.resolve(HandoffStep.AGENT);
        String shown = HandoffStep.AGENT + (agent.toString().equals(HandoffStep.AGENT) ? "" : " (" + agent + ")");
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(agent, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.of(new BootFailure(shown + " does not exist: the image must ship kata-agent, which the"
                    + " boot hands PID 1 to", e));
        } catch (IOException e) {
            return Optional.of(new BootFailure("cannot check " + shown + ": " + IoReason.of(e), e));
        }
        if (!attributes.isRegularFile()) {
            return Optional.of(new BootFailure(shown + " is " + (attributes.isDirectory() ? "a directory" : "not a regular file")
                    + ", expected the kata-agent program"));
        }
        if (attributes.permissions().stream().noneMatch(EXECUTE::contains)) {
            return Optional.of(new BootFailure(shown + " is not executable (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + ")"));
        }
        return Optional.empty();
    }
}
