package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.extension.ExtensionDevice;
import dev.nvrc.core.extension.GuestExtension;
import dev.nvrc.core.extension.GuestExtensions;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.report.BootReport;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code extensions}: finds the extension block devices, reconciles them with the command line
 * (failing closed) and so decides the guest layout, once, before anything is mounted. Everything
 * after it (the mounts, the gpu extension's firmware and loader cache, the mode's steps, the
 * agent's environment) is built from what it decided.
 */
final class ExtensionsStep implements Step {
    static final String NAME = "extensions";
    private final Config config;
    private final BootReport report;
    private GuestExtensions extensions;

    ExtensionsStep(Config config, BootReport report) {
        this.config = config;
        this.report = report;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("path", ExtensionDevice.SYS_BLOCK + "/*/serial");
        d.put("rule", "every " + ExtensionDevice.SERIAL_PREFIX + "<name> device needs kata.extension.<name>"
                + ".verity_params and every such parameter a device");
        if (extensions != null) {
            d.put("found", extensions.isEmpty() ? "none" : extensions.extensions().stream()
                    .map(e -> e.name() + " on " + e.device()).collect(Collectors.joining(", ")));
            d.put("layout", layout().toString());
        }
        return PlanEntry.of(NAME, d);
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        extensions = GuestExtensions.decide(config, context.paths());
        report.fact("extensions", extensions.extensions().stream().map(GuestExtension::name).toList());
        report.fact("layout", layout().toString());
    }

    /** What was decided; only after {@link #run}. */
    GuestExtensions extensions() {
        GuestExtensions decided = extensions;
        if (decided == null) {
            throw new IllegalStateException("the extensions are decided when the step runs");
        }
        return decided;
    }

    /** The layout these extensions give the guest; only after {@link #run}. */
    GuestLayout layout() {
        return extensions().layout();
    }
}
