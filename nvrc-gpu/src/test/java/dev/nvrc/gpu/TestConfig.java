package dev.nvrc.gpu;

import dev.nvrc.core.cmdline.Config;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** Builds a {@link Config} as the command line parser would, one setting at a time. */
final class TestConfig {
    private Integer lgc;
    private Integer lmc;
    private Integer pl;
    private dev.nvrc.core.cmdline.ConfComputeReadyState srs;
    private boolean uvmPersistence = true;
    private boolean dcgm;
    private Duration timeout = Config.DEFAULT_TIMEOUT;
    private boolean timeoutGiven;
    private final Map<String, Duration> daemonTimeouts = new HashMap<>();

    static TestConfig defaults() {
        return new TestConfig();
    }

    TestConfig lgc(int mhz) {
        lgc = mhz;
        return this;
    }

    TestConfig lmc(int mhz) {
        lmc = mhz;
        return this;
    }

    TestConfig pl(int watts) {
        pl = watts;
        return this;
    }

    TestConfig srs(dev.nvrc.core.cmdline.ConfComputeReadyState value) {
        srs = value;
        return this;
    }

    TestConfig uvmPersistence(boolean on) {
        uvmPersistence = on;
        return this;
    }

    TestConfig dcgm(boolean on) {
        dcgm = on;
        return this;
    }

    TestConfig timeout(Duration all) {
        timeout = all;
        timeoutGiven = true;
        return this;
    }

    TestConfig timeout(String daemon, Duration t) {
        daemonTimeouts.put(daemon, t);
        return this;
    }

    Config build() {
        Config d = Config.defaults();
        // As the parser does: the daemons' own defaults apply until nvrc.timeout replaces them.
        Map<String, Duration> timeouts = new HashMap<>(timeoutGiven ? Map.of() : Config.defaultDaemonTimeouts());
        timeouts.putAll(daemonTimeouts);
        return new Config(null, d.log(), lgc, lmc, pl, srs, uvmPersistence, dcgm, null, null, timeout,
                timeouts, d.cdi(), d.extensions(), d.modules());
    }
}
