package dev.nvrc.core.extension;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code gpu extension firmware}: binds the extension's {@code lib/firmware/nvidia} over the
 * kernel's search path {@code /lib/firmware/nvidia} (an empty directory the base image carries),
 * so that the driver finds its GSP firmware. Skipped when the extension ships no firmware.
 */
public final class GpuFirmwareStep implements Step {
    static final String NAME = "gpu extension firmware";
    /** The kernel firmware loader's directory for the NVIDIA driver. */
    static final String TARGET = "/lib/firmware/nvidia";

    private final String source;

    public GpuFirmwareStep(GuestLayout layout) {
        this.source = layout.path(TARGET);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("bind", source + " -> " + TARGET);
        d.put("when", source + " is a directory");
        return PlanEntry.of(NAME, d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        if (!Files.isDirectory(context.paths().resolve(source))) {
            return;
        }
        context.ports().mounts().mount(BindMount.of(context.paths(), source, TARGET));
    }
}
