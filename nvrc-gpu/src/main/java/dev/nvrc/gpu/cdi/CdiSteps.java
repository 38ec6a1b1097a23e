package dev.nvrc.gpu.cdi;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.CdiBackend;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.Step;

/** The boot step that writes the CDI spec, with the backend {@code nvrc.cdi} chose. */
public final class CdiSteps {
    /** The step's name in the plan, the report and a FAILED line. */
    public static final String NAME = "cdi";

    private CdiSteps() {
    }

    /**
     * The CDI step for {@code config}: {@code nvidia-ctk cdi generate} for {@link CdiBackend#CTK},
     * else the native generator. {@code paths} is what {@link Step#describe()} looks at (whether
     * the Kata GPU extension is there); {@link Step#run} uses the context's paths.
     */
    public static Step forConfig(Config config, NvrcPaths paths) {
        return config.cdi() == CdiBackend.CTK ? new CtkCdiStep(config, paths) : new NativeCdiStep(paths);
    }
}
