package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
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
import java.util.Map;
import java.util.Set;

/**
 * {@code kata-agent}: checks, before any GPU or fabric work, that the program the boot ends in is
 * there. Without it the whole bring-up would run, minutes with many GPUs, only for the handoff's
 * execve to fail. A regular file (links followed) with an execute bit passes; the execve at the
 * end still has the last word.
 */
final class AgentCheckStep implements Step {
    static final String NAME = "kata-agent";
    private static final Set<PosixFilePermission> EXECUTE = Set.of(PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(NAME, Map.of("path", HandoffStep.AGENT, "checks", "a regular file with an execute bit"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        Path agent = context.paths().resolve(HandoffStep.AGENT);
        String shown = HandoffStep.AGENT + (agent.toString().equals(HandoffStep.AGENT) ? "" : " (" + agent + ")");
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(agent, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new BootFailure(shown + " does not exist: the image must ship kata-agent, which the boot hands PID 1 to", e);
        } catch (IOException e) {
            throw new BootFailure("cannot check " + shown + ": " + IoReason.of(e), e);
        }
        if (!attributes.isRegularFile()) {
            throw new BootFailure(shown + " is " + (attributes.isDirectory() ? "a directory" : "not a regular file")
                    + ", expected the kata-agent program");
        }
        if (attributes.permissions().stream().noneMatch(EXECUTE::contains)) {
            throw new BootFailure(shown + " is not executable (mode "
                    + PosixFilePermissions.toString(attributes.permissions()) + ")");
        }
    }
}
