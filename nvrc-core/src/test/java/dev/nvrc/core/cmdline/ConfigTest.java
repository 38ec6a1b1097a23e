package dev.nvrc.core.cmdline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void defaultsLeaveEveryOptionalSettingUnset() {
        Config c = Config.defaults();
        assertThat(c.explicitMode()).isEmpty();
        assertThat(c.lockedGpuClocks()).isEmpty();
        assertThat(c.lockedMemoryClocks()).isEmpty();
        assertThat(c.powerLimit()).isEmpty();
        assertThat(c.secureRandomizationSeed()).isEmpty();
        assertThat(c.fabricModeOverride()).isEmpty();
        assertThat(c.railPolicyOverride()).isEmpty();
        assertThat(c.uvmPersistence()).isTrue();
        assertThat(c.dcgm()).isFalse();
        assertThat(c.readinessTimeout("nvidia-persistenced")).isEqualTo(Config.DEFAULT_TIMEOUT);
    }

    @Test
    void accessorsExposeWhatWasSet() {
        Config c = new Config(Mode.GPU, LogLevel.DEBUG, 1500, 5001, 300, "enabled", false, true, 0,
                RailPolicy.SYMMETRIC, Duration.ofSeconds(60), Map.of("nv-fabricmanager", Duration.ofSeconds(9)),
                CdiBackend.CTK, Map.of("gpu", new VerityParams("ab", "cd", 1, 4096, 4096)));
        assertThat(c.explicitMode()).contains(Mode.GPU);
        assertThat(c.lockedGpuClocks()).hasValue(1500);
        assertThat(c.lockedMemoryClocks()).hasValue(5001);
        assertThat(c.powerLimit()).hasValue(300);
        assertThat(c.secureRandomizationSeed()).contains("enabled");
        assertThat(c.fabricModeOverride()).hasValue(0);
        assertThat(c.railPolicyOverride()).contains(RailPolicy.SYMMETRIC);
        assertThat(c.readinessTimeout("nv-fabricmanager")).isEqualTo(Duration.ofSeconds(9));
        assertThat(c.readinessTimeout("nvidia-persistenced")).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void enumsPrintTheirCommandLineSpelling() {
        assertThat(LogLevel.TRACE).hasToString("trace");
        assertThat(LogLevel.INFO.enables(LogLevel.WARN)).isTrue();
        assertThat(LogLevel.INFO.enables(LogLevel.DEBUG)).isFalse();
        assertThat(LogLevel.OFF.enables(LogLevel.ERROR)).isFalse();
        assertThat(CdiBackend.CTK).hasToString("ctk");
        assertThat(RailPolicy.GREEDY).hasToString("greedy");
    }

    @Test
    void verityParamsNeedAHashAndSalt() {
        assertThatThrownBy(() -> new VerityParams(null, "", 1, 1, 1)).isInstanceOf(NullPointerException.class)
                .hasMessage("rootHash");
    }
}
