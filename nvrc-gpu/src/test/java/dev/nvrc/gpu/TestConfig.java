package dev.nvrc.gpu;

import dev.nvrc.core.cmdline.ConfComputeReadyState;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.cmdline.InvalidCommandLineException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link BootConfig} one setting at a time by writing the kernel command line that sets it
 * and parsing that: a configuration only the parser makes, as on a booted VM.
 */
final class TestConfig {
    private final List<String> tokens = new ArrayList<>();

    static TestConfig defaults() {
        return new TestConfig();
    }

    TestConfig lgc(int mhz) {
        return token("nvrc.smi.lgc=" + mhz);
    }

    TestConfig lmc(int mhz) {
        return token("nvrc.smi.lmc=" + mhz);
    }

    TestConfig pl(int watts) {
        return token("nvrc.smi.pl=" + watts);
    }

    TestConfig srs(ConfComputeReadyState value) {
        return token("nvrc.smi.srs=" + value.argument());
    }

    TestConfig uvmPersistence(boolean on) {
        return token("nvrc.uvm.persistence.mode=" + (on ? "on" : "off"));
    }

    TestConfig dcgm(boolean on) {
        return token("nvrc.dcgm=" + (on ? "on" : "off"));
    }

    TestConfig timeout(Duration all) {
        return token("nvrc.timeout=" + all.toSeconds());
    }

    TestConfig timeout(String daemon, Duration t) {
        return token("nvrc.timeout." + daemon + "=" + t.toSeconds());
    }

    /** The command line so far. */
    String commandLine() {
        return String.join(" ", tokens);
    }

    BootConfig build() {
        try {
            return ConfigParser.parse(commandLine());
        } catch (InvalidCommandLineException e) {
            throw new IllegalArgumentException("the test's command line is invalid: " + commandLine(), e);
        }
    }

    private TestConfig token(String token) {
        tokens.add(token);
        return this;
    }
}
