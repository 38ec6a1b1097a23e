package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Decision;
import dev.nvrc.core.plan.PlanEntry;
import java.util.Map;

/**
 * {@code cmdline}: the {@link BootConfig} of the kernel command line, then (boot only) the log level
 * and the audit line. A bad line fails here, after the basic mounts and before anything else is
 * changed.
 */
public final class CommandLineDecision implements Decision<BootConfig> {
    /** Where the command line comes from: {@code /proc/cmdline} at boot, the given text in a plan. */
    public interface Source {
        /** The command line, read at boot or given to the plan. */
        String read(BootContext context) throws BootFailure;
    }

    /** What the boot does with the configuration before the next step. */
    interface Apply {
        void accept(BootConfig config) throws BootFailure;
    }

    static final String NAME = "cmdline";
    private final Source source;
    private final Apply apply;

    CommandLineDecision(Source source, Apply apply) {
        this.source = source;
        this.apply = apply;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public BootConfig decide(BootContext context) throws BootFailure {
        return ConfigParser.parse(source.read(context));
    }

    @Override
    public void apply(BootConfig decided, BootContext context) throws BootFailure {
        apply.accept(decided);
    }

    @Override
    public PlanEntry describe(BootConfig decided) {
        return PlanEntry.of(NAME, Map.of("path", "/proc/cmdline", "then", "kernel.printk_devkmsg=on when nvrc.log is not off"));
    }
}
