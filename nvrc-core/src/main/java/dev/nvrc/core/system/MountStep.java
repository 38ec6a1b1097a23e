package dev.nvrc.core.system;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.MountRequest;
import java.util.LinkedHashMap;
import java.util.Map;

/** Mounts one filesystem (skipped when already mounted, or when optional and unsupported). */
public record MountStep(MountRequest request) implements Step {
    @Override
    public String name() {
        return "mount " + request.target();
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", request.source());
        d.put("target", request.target());
        d.put("fstype", request.fsType());
        d.put("flags", String.format("0x%x", request.flags()));
        if (request.data() != null) {
            d.put("data", request.data());
        }
        if (request.optional()) {
            d.put("optional", "only if the kernel has " + request.fsType() + " and the target exists");
        }
        return PlanEntry.of(name(), d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        context.ports().mounts().mount(request);
    }
}
