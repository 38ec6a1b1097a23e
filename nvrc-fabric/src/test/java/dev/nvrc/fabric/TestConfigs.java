package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.cmdline.InvalidCommandLineException;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.api.ModeDecision;
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
     * The fabric steps of the default command line with no NVLSM settle time, so tests never sleep
     * (the shortest a command line can ask for is {@code nvrc.timeout.nvlsm=1}).
     */
    static List<Step> fastSteps(ModeDecision decision, GuestLayout layout) throws BootFailure {
        return FabricSteps.forDecision(decision, BootConfig.defaults(), layout, null, Duration.ZERO);
    }
}
