package dev.nvrc.gpu.cdi;

import dev.nvrc.core.GuestLayout;
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
     * else the native generator; both read the driver where {@code layout} has it.
     */
    public static Step forConfig(Config config, GuestLayout layout) {
        return config.cdi() == CdiBackend.CTK ? new CtkCdiStep(config, layout) : new NativeCdiStep(layout);
    }
}
