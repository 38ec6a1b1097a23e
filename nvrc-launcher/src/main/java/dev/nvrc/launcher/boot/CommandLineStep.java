package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code cmdline}: reads {@code /proc/cmdline} into the {@link Config}, then applies the log
 * level. A bad line fails here, after the basic mounts and before anything else is changed.
 */
final class CommandLineStep implements Step {
    /** What the step does with the parsed configuration before the next step (the log level). */
    interface Apply {
        void accept(Config config) throws BootFailure;
    }

    static final String NAME = "cmdline";
    private final Apply apply;
    private Config config;

    CommandLineStep(Apply apply) {
        this.apply = apply;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.of(NAME, Map.of("path", "/proc/cmdline", "then", "kernel.printk_devkmsg=on when nvrc.log is not off"));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        byte[] raw;
        try {
            raw = BoundedFile.read(context.paths().resolve("/proc/cmdline"), BoundedFile.KERNEL_FILE);
        } catch (IOException e) {
            throw new BootFailure("read /proc/cmdline: " + IoReason.of(e), e);
        }
        config = ConfigParser.parse(new String(raw, StandardCharsets.UTF_8));
        apply.accept(config);
    }

    /** The configuration, after a successful run. */
    Config config() {
        if (config == null) {
            throw new IllegalStateException("cmdline has not run");
        }
        return config;
    }
}
