package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.CdiBackend;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.util.LinkedHashMap;
import java.util.Map;

/** Generates the spec in-process and writes it to {@link CdiSpecGenerator#SPEC_PATH}. */
final class NativeCdiStep implements Step {
    private final CdiOptions options;

    NativeCdiStep(CdiOptions options) {
        this.options = options;
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
        return PlanEntry.of(name(), details);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        NvrcPaths root = context.paths();
        CdiSpec spec = CdiSpecGenerator.generate(root, options);
        CdiSpecGenerator.writeAtomically(spec, root.resolve(CdiSpecGenerator.SPEC_PATH));
    }
}
