package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.MarkerWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nv-fabricmanager}: starts Fabric Manager on {@code /run/fabricmanager.cfg} (with
 * {@code -g <port GUID>} on NVLink 5), tracks it and waits for its readiness marker.
 */
final class FabricManagerStep implements Step {
    /** The daemon's name in messages, the report and {@code nvrc.timeout.nv-fabricmanager}. */
    static final String DAEMON = "nv-fabricmanager";
    /** What Fabric Manager logs to syslog once it serves. */
    static final String MARKER = "FM starting NvLink Inband";

    private final String program;
    private final Duration timeout;
    private final PortGuidHolder guid;

    /**
     * @param guid the holder of the NVLink 5 port GUID, {@code null} on NVLink 4 (no {@code -g})
     */
    FabricManagerStep(FabricLayout layout, Duration timeout, PortGuidHolder guid) {
        this.program = layout.fabricManager();
        this.timeout = timeout;
        this.guid = guid;
    }

    private List<String> argv(String portGuid) {
        List<String> a = new ArrayList<>(List.of(program, "-c", FabricManagerConfigStep.RUN_CONFIG));
        if (portGuid != null) {
            a.add("-g");
            a.add(portGuid);
        }
        return a;
    }

    @Override
    public String name() {
        return DAEMON;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name(), argv(guid == null ? null : guid.planned().argument()))
                .with("daemon", DAEMON)
                .with("await", MARKER)
                .with("timeout_s", timeout.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        Command command = Command.of(DAEMON, argv(guid == null ? null : guid.require(name()).guid()));
        // Watch first: a marker logged before the wait started must not be missed.
        try (MarkerWatch watch = context.ports().syslog().watch(MARKER)) {
            Daemon daemon = context.ports().processes().start(command);
            context.daemons().add(daemon);
            watch.await(daemon, timeout);
        }
    }
}
