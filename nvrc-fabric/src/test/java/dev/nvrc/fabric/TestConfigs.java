package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.cmdline.InvalidCommandLineException;
import dev.nvrc.core.plan.PlanWalk;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.testkit.FakePorts;
import java.time.Duration;
import java.util.List;

/** Command-line configurations for the tests, each parsed from the line that gives it. */
final class TestConfigs {
    private TestConfigs() {}

    /** The configuration of {@code commandLine}, which the test knows to be valid. */
    static BootConfig parse(String commandLine) {
        try {
            return ConfigParser.parse(commandLine);
        } catch (InvalidCommandLineException e) {
            throw new IllegalArgumentException("the test's command line is invalid: " + commandLine, e);
        }
    }

    /**
     * The fabric bring-up of the default command line with no NVLSM settle time, so tests never
     * sleep (the shortest a command line can ask for is {@code nvrc.nvlsm.settle=1}).
     */
    static FabricSteps fast(ModeDecision decision, GuestLayout layout) throws BootFailure {
        return FabricSteps.forDecision(decision, BootConfig.defaults(), layout, Duration.ZERO);
    }

    /**
     * The steps of {@code fabric} as a plan lists them against the tree at {@code tree} (the port
     * GUID decision among them, decided as a plan does), touching nothing.
     */
    static List<Step> listed(FabricSteps fabric, NvrcPaths tree) throws BootFailure {
        PlanWalk walk = new PlanWalk(new FakePorts().context(BootConfig.defaults(), tree));
        fabric.walk(walk);
        return walk.steps();
    }
}
