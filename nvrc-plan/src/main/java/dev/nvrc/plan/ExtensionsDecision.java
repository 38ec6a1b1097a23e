package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.extension.ExtensionDevice;
import dev.nvrc.core.extension.GuestExtension;
import dev.nvrc.core.extension.GuestExtensions;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Decision;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.report.BootReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code extensions}: finds the extension block devices, reconciles them with the command line
 * (failing closed) and so decides the guest layout, once, before anything is mounted. Everything
 * after it (the mounts, the gpu extension's firmware and loader cache, the mode's steps, the
 * agent's environment) is built from the {@link GuestExtensions} it returns.
 */
final class ExtensionsDecision implements Decision<GuestExtensions> {
    static final String NAME = "extensions";
    private final BootConfig config;
    private final BootReport report;

    ExtensionsDecision(BootConfig config, BootReport report) {
        this.config = config;
        this.report = report;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public GuestExtensions decide(BootContext context) throws BootFailure {
        return GuestExtensions.decide(config, context.paths());
    }

    @Override
    public void apply(GuestExtensions decided, BootContext context) {
        report.fact("extensions", decided.extensions().stream().map(GuestExtension::name).toList());
        report.fact("layout", decided.layout().toString());
    }

    @Override
    public PlanEntry describe(GuestExtensions decided) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", ExtensionDevice.SYS_BLOCK + "/*/serial");
        d.put("rule", "every " + ExtensionDevice.SERIAL_PREFIX + "<name> device needs kata.extension.<name>"
                + ".verity_params and every such parameter a device");
        d.put("found", decided.isEmpty() ? "none" : decided.extensions().stream()
                .map(e -> e.name() + " on " + e.device()).collect(Collectors.joining(", ")));
        d.put("layout", decided.layout().toString());
        return PlanEntry.of(NAME, d);
    }
}
