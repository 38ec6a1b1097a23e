package dev.nvrc.gpu;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.IoReason;
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
 *
 * <p>{@code --uvm-persistence-mode} exists from driver 550.40.07 on ({@value #UVM_FLAG_SINCE});
 * every 535 release (Debian 12's nvidia-persistenced 535.171.04 among them) answers it with
 * {@code unrecognized option} on stderr and exit 0. No probe runs at boot (one more process on
 * every boot for a fixed fact of the image): the daemon's own words end the boot at once, and the
 * failure says to boot with {@code nvrc.uvm.persistence.mode=off}.
 */
final class PersistencedStep implements Step {
    /** The daemon's name and the step's. */
    static final String NAME = "nvidia-persistenced";
    /** What nvidia-persistenced logs once its RPC server is up. */
    static final String MARKER = "Local RPC services initialized";
    /** The daemon's runtime directory. */
    static final String RUNTIME_DIR = "/var/run/nvidia-persistenced";
    /** The option that keeps the UVM state. */
    static final String UVM_FLAG = "--uvm-persistence-mode";
    /** The first driver whose nvidia-persistenced has {@link #UVM_FLAG} (its option table, upstream). */
    static final String UVM_FLAG_SINCE = "550.40.07";

    private final boolean uvmPersistence;
    private final Duration timeout;
    private final GpuExtension extension;

    PersistencedStep(boolean uvmPersistence, Duration timeout, GpuExtension extension) {
        this.uvmPersistence = uvmPersistence;
        this.timeout = timeout;
        this.extension = extension;
    }

    @Override
    public String name() {
        return NAME;
    }

    private List<String> argv() {
        List<String> argv = new ArrayList<>(List.of(extension.program("/bin/nvidia-persistenced"), "--verbose"));
        if (uvmPersistence) {
            argv.add(UVM_FLAG);
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
            throw new BootFailure("mkdir -p " + RUNTIME_DIR + " (" + dir + "): " + IoReason.of(e), e);
        }
        try (MarkerWatch watch = context.ports().syslog().watch(MARKER)) {
            Daemon daemon = DaemonStep.start(context, NAME, argv());
            watch.await(daemon, timeout);
        } catch (BootFailure e) {
            throw withHint(e);
        }
    }

    /** A daemon that did not know the UVM option gets the way out appended. */
    private BootFailure withHint(BootFailure e) {
        String message = e.getMessage();
        if (uvmPersistence && message.contains("unrecognized option") && message.contains(UVM_FLAG.substring(2))) {
            return new BootFailure(message + "; this nvidia-persistenced predates " + UVM_FLAG + " (driver "
                    + UVM_FLAG_SINCE + " and later have it): boot with nvrc.uvm.persistence.mode=off", e);
        }
        return e;
    }
}
