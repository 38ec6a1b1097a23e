package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.CdiBackend;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import java.nio.file.Files;
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
    private final NvrcPaths paths;

    CtkCdiStep(Config config, NvrcPaths paths) {
        this.config = config;
        this.paths = paths;
    }

    @Override
    public String name() {
        return CdiSteps.NAME;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name(), argv(paths))
                .with("backend", CdiBackend.CTK.canonical())
                .with("path", OUTPUT)
                .with("timeout_s", config.readinessTimeout(PROGRAM).toSeconds());
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().processes().run(Command.of(PROGRAM, argv(context.paths())), config.readinessTimeout(PROGRAM));
    }

    /** Upstream's argv for the machine at {@code paths}. */
    static List<String> argv(NvrcPaths paths) {
        String ext = CdiOptions.KATA_GPU_EXTENSION;
        boolean extension = Files.isDirectory(paths.resolve(ext));
        List<String> argv = new ArrayList<>();
        argv.add(extension ? ext + "/bin/nvidia-ctk" : "/bin/nvidia-ctk");
        argv.addAll(List.of("-d", "cdi", "generate", "--output=" + OUTPUT));
        if (extension) {
            argv.add("--driver-root=" + ext);
            argv.add("--dev-root=/");
            argv.add("--nvidia-cdi-hook-path=" + ext + "/bin/nvidia-cdi-hook");
        }
        return argv;
    }
}
