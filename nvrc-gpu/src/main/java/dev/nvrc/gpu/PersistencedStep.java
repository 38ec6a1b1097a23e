package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.MarkerWatch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts nvidia-persistenced and waits until it logs {@value #MARKER} to /dev/log.
 *
 * <p>The daemon keeps the GPUs initialised between CUDA clients (and, with
 * {@code --uvm-persistence-mode}, the UVM state). Its RPC socket lives in
 * {@value #RUNTIME_DIR}, which must exist first. The watch is opened before the daemon starts, so
 * a marker logged at once cannot be missed.
 */
final class PersistencedStep implements Step {
    /** The daemon's name and the step's. */
    static final String NAME = "nvidia-persistenced";
    /** What nvidia-persistenced logs once its RPC server is up. */
    static final String MARKER = "Local RPC services initialized";
    /** The daemon's runtime directory. */
    static final String RUNTIME_DIR = "/var/run/nvidia-persistenced";

    private final boolean uvmPersistence;
    private final Duration timeout;
    private final GuestLayout layout;

    PersistencedStep(boolean uvmPersistence, Duration timeout, GuestLayout layout) {
        this.uvmPersistence = uvmPersistence;
        this.timeout = timeout;
        this.layout = layout;
    }

    @Override
    public String name() {
        return NAME;
    }

    private List<String> argv() {
        List<String> argv = new ArrayList<>(List.of(layout.path("/bin/nvidia-persistenced"), "--verbose"));
        if (uvmPersistence) {
            argv.add("--uvm-persistence-mode");
        }
        return argv;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(NAME, argv()).with("runs", "background").with("mkdir", RUNTIME_DIR)
                .with("await", MARKER).with("timeout_s", timeout.toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        Path dir = context.paths().resolve(RUNTIME_DIR);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new BootFailure("mkdir -p " + RUNTIME_DIR + " (" + dir + "): " + e, e);
        }
        try (MarkerWatch watch = context.ports().syslog().watch(MARKER)) {
            Daemon daemon = DaemonStep.start(context, NAME, argv());
            watch.await(daemon, timeout);
        }
    }
}
