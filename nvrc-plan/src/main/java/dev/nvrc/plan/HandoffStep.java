package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The end of the boot: start the syslog drainer on the inherited /dev/log socket, raise
 * RLIMIT_NOFILE, protect this process from the OOM killer, claim the {@link BootOutcome} and
 * become kata-agent by execve. After this no JVM is left in the VM: kata-agent is PID 1 and
 * inherits the limits.
 *
 * <p>The claim comes last, right before execve: a failure decided before it (a daemon that died
 * on the reaper thread) wins and execve never happens; once claimed, a failure elsewhere is
 * silent and only execve's own error is reported (the outcome is reopened for it).
 */
public record HandoffStep(boolean forwardToKmsg, AgentEnvironment agentEnv, BootOutcome outcome)
        implements Step {
    /** The agent the guest runs as PID 1. */
    public static final String AGENT = "/usr/bin/kata-agent";
    /** The drainer: a mode of the static C stub. */
    static final String DRAINER = "/usr/lib/nvrc/bin/nvrc-drain";
    /** RLIMIT_NOFILE for the agent, soft = hard. */
    static final long NOFILE = 1024L * 1024L;
    /** kata-agent's OOM score adjustment. */
    static final int OOM_SCORE_ADJ = -997;
    /** The step's name. */
    static final String NAME = "handoff";

    @Override
    public String name() {
        return NAME;
    }

    static List<String> drainerArgv(String fd, boolean kmsg) {
        List<String> argv = new ArrayList<>(List.of(DRAINER, fd));
        if (kmsg) {
            argv.add("--kmsg");
        }
        return argv;
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("drainer", String.join(" ", drainerArgv("<fd of /dev/log>", forwardToKmsg)));
        d.put("rlimit_nofile", NOFILE);
        d.put("oom_score_adj", OOM_SCORE_ADJ);
        d.put("env", agentEnv.describe());
        return new PlanEntry(name(), List.of(AGENT), d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        int fd = context.ports().syslog().releaseToDrainer();
        context.ports().processes().start(new Command("nvrc-drain", drainerArgv(Integer.toString(fd), forwardToKmsg),
                Command.DEFAULT_ENV));
        context.ports().init().setOpenFileLimit(NOFILE, NOFILE);
        context.ports().init().setOomScoreAdj(0, OOM_SCORE_ADJ);
        if (!outcome.claimHandoff()) {
            // A failure won: its thread writes the line and powers off; the runner parks this one.
            throw new BootFailure("a failure was decided before the handoff");
        }
        try {
            // Returns only with a fake, where returning stands for the replaced process.
            context.ports().init().execve(AGENT, List.of(AGENT), agentEnv.toMap());
        } catch (BootFailure | RuntimeException e) {
            outcome.reopen();
            throw e;
        }
    }
}
