package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.CdiBackend;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/** Generates the spec in-process and writes it to {@link CdiSpecGenerator#SPEC_PATH}. */
final class NativeCdiStep implements Step {
    /** The report's fact: the toolkit release of the image's nvidia-cdi-hook, or {@code unknown}. */
    static final String FACT_RELEASE = "cdi_hook_release";
    /** The report's fact: the subcommands left out, each with why. */
    static final String FACT_LEFT_OUT = "cdi_hooks_left_out";

    private final CdiSpecOptions options;
    private final NvrcPaths planRoot;
    private final BiConsumer<String, Object> facts;

    NativeCdiStep(CdiSpecOptions options) {
        this(options, null, (key, value) -> { });
    }

    NativeCdiStep(CdiSpecOptions options, NvrcPaths planRoot, BiConsumer<String, Object> facts) {
        this.options = options;
        this.planRoot = planRoot;
        this.facts = facts;
    }

    @Override
    public String name() {
        return CdiSteps.NAME;
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("backend", CdiBackend.NATIVE.canonical());
        details.put("path", CdiSpecGenerator.SPEC_PATH);
        details.put("driver_root", options.driverRoot());
        if (planRoot != null) {
            try {
                Optional<CdiHooks> hooks = CdiHooks.find(planRoot, options);
                if (hooks.isPresent()) {
                    details.put("hook_release", release(hooks.get()));
                    details.put("hooks_left_out", hooks.get().leftOut());
                } else {
                    details.put("hooks", "none: no nvidia-cdi-hook here (yet: a GPU extension is read when the step runs)");
                }
            } catch (BootFailure e) {
                details.put("hooks", e.getMessage());
            }
        }
        return PlanEntry.of(name(), details);
    }

    private static String release(CdiHooks hooks) {
        return hooks.version().isPresent() ? hooks.version().get().toString() : "unknown";
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        NvrcPaths root = context.paths();
        CdiSpec spec = CdiSpecGenerator.generate(root, options);
        Path target = root.resolve(CdiSpecGenerator.SPEC_PATH);
        refuseSecondSpec(target);
        CdiSpecGenerator.writeAtomically(spec, target);
        Optional<CdiHooks> hooks = CdiHooks.find(root, options);
        if (hooks.isPresent()) {
            facts.accept(FACT_RELEASE, release(hooks.get()));
            facts.accept(FACT_LEFT_OUT, hooks.get().leftOut());
        }
    }

    /**
     * Fails when the spec directory already holds another spec of {@link CdiSpecGenerator#KIND}
     * (nvidia-ctk's {@code nvidia.yaml} of an image, a copy): CDI readers refuse a device defined
     * twice, and kata-agent's then fails the whole directory, so no container would get a GPU.
     * Only {@code *.json} and {@code *.yaml} files are specs; one of the kind names it as text.
     */
    static void refuseSecondSpec(Path target) throws BootFailure {
        Path dir = target.getParent();
        Path file = target.getFileName();
        if (dir == null || file == null) {
            return; // not a file in a directory: nothing can sit beside it
        }
        String own = file.toString();
        for (String name : KernelMadeFiles.names(dir, dir.toString())) {
            if (name.equals(own) || !(name.endsWith(".json") || name.endsWith(".yaml"))) {
                continue;
            }
            Path other = dir.resolve(name);
            if (!Files.isRegularFile(other)) {
                continue;
            }
            String text = KernelMadeFiles.readText(other, other.toString(), "a CDI spec");
            if (text.contains(CdiSpecGenerator.KIND)) {
                throw new BootFailure("a second CDI spec for " + CdiSpecGenerator.KIND + " is in " + dir + ": " + name
                        + "; runtimes refuse devices defined twice (kata-agent then loads no spec of the directory),"
                        + " so " + own + " is not written beside it");
            }
        }
    }
}
