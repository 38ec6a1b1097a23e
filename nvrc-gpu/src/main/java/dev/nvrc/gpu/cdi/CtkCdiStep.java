package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.CdiBackend;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs {@code nvidia-ctk -d cdi generate --output=/var/run/cdi/nvidia.yaml} in the foreground, as
 * upstream does; with the Kata GPU extension, the program comes from the extension and gets its
 * driver root, {@code --dev-root=/} and the extension's hook path.
 */
final class CtkCdiStep implements Step {
    /** Where nvidia-ctk writes its spec (upstream's path; YAML, as upstream). */
    static final String OUTPUT = "/var/run/cdi/nvidia.yaml";

    /** The program name in messages and for {@code nvrc.timeout.<name>}. */
    static final String PROGRAM = "nvidia-ctk";

    private final Config config;
    private final GuestLayout layout;

    CtkCdiStep(Config config, GuestLayout layout) {
        this.config = config;
        this.layout = layout;
    }

    @Override
    public String name() {
        return CdiSteps.NAME;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name(), argv(layout))
                .with("backend", CdiBackend.CTK.canonical())
                .with("path", OUTPUT)
                .with("timeout_s", config.readinessTimeout(PROGRAM).toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().processes().run(Command.of(PROGRAM, argv(layout)), config.readinessTimeout(PROGRAM));
    }

    /** Upstream's argv for {@code layout}. */
    static List<String> argv(GuestLayout layout) {
        List<String> argv = new ArrayList<>();
        argv.add(layout.path("/bin/nvidia-ctk"));
        argv.addAll(List.of("-d", "cdi", "generate", "--output=" + OUTPUT));
        if (layout.isGpuExtension()) {
            argv.add("--driver-root=" + layout.driverRoot());
            argv.add("--dev-root=/");
            argv.add("--nvidia-cdi-hook-path=" + layout.cdiHookPath().orElseThrow());
        }
        return argv;
    }
}
