package dev.nvrc.fabric;

import dev.nvrc.core.cmdline.Config;
import java.time.Duration;
import java.util.Map;

/** Command-line configurations for the tests. */
final class TestConfigs {
    private TestConfigs() {}

    /** The defaults, with per-daemon timeouts ({@code nvrc.timeout.<daemon>}). */
    static Config withDaemonTimeouts(Map<String, Duration> timeouts) {
        Config d = Config.defaults();
        return new Config(d.mode(), d.log(), d.smiLgc(), d.smiLmc(), d.smiPl(), d.smiSrs(), d.uvmPersistence(),
                d.dcgm(), d.fmMode(), d.railPolicy(), d.timeout(), timeouts, d.cdi(), d.extensions(), d.modules());
    }

    /** The defaults, with no nvlsm settle time so tests never sleep. */
    static Config fast() {
        return withDaemonTimeouts(Map.of("nvlsm", Duration.ZERO));
    }
}
