package dev.nvrc.core.cmdline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
    @Test
    void effectiveParametersListEveryKeyTypedWithDefaults() {
        Map<String, Object> m = Config.defaults().effectiveParameters();
        assertThat(m.keySet()).containsExactlyElementsOf(Parameter.keys());
        assertThat(m).containsEntry("nvrc.mode", null).containsEntry("nvrc.log", "off")
                .containsEntry("nvrc.smi.lgc", null).containsEntry("nvrc.uvm.persistence.mode", true)
                .containsEntry("nvrc.dcgm", false).containsEntry("nvrc.timeout", 300L)
                .containsEntry("nvrc.timeout.nvidia-persistenced", 600L).containsEntry("nvrc.cdi", "native");
    }

    @Test
    void effectiveParametersCarryParsedValuesAndExtensions() throws Exception {
        Map<String, Object> m = ConfigParser.parse("nvrc.mode=servicevm-nvl4 nvrc.log=DEBUG nvrc.timeout=60 "
                + "kata.extension.gpu.verity_params=root_hash=r,salt=s,data_blocks=1,data_block_size=2,hash_block_size=3")
                .effectiveParameters();
        assertThat(m).containsEntry("nvrc.mode", "nvswitch-nvl4").containsEntry("nvrc.log", "debug")
                .containsEntry("nvrc.fm.mode", 1).containsEntry("nvrc.fm.rail.policy", "greedy")
                .containsEntry("nvrc.timeout.nv-fabricmanager", 60L);
        assertThat(m.get("kata.extension.gpu.verity_params")).isEqualTo(Map.of("root_hash", "r", "salt", "s",
                "data_blocks", 1L, "data_block_size", 2L, "hash_block_size", 3L));
    }

    @Test
    void logLevelOrdering() {
        assertThat(LogLevel.DEBUG.enables(LogLevel.INFO)).isTrue();
        assertThat(LogLevel.INFO.enables(LogLevel.DEBUG)).isFalse();
        assertThat(LogLevel.OFF.enables(LogLevel.ERROR)).isFalse();
        assertThat(LogLevel.TRACE.enables(LogLevel.OFF)).isFalse();
    }

    @Test
    void modeLookupAndServiceVm() {
        assertThat(Mode.parse("SERVICEVM-NVL5")).hasValue(Mode.NVSWITCH_NVL5);
        assertThat(Mode.parse("x")).isEmpty();
        assertThat(Mode.NVSWITCH_NVL4.isServiceVm()).isTrue();
        assertThat(Mode.GPU.isServiceVm()).isFalse();
        assertThat(Mode.CPU).hasToString("cpu");
        assertThat(RailPolicy.GREEDY).hasToString("greedy");
        assertThat(CdiBackend.CTK).hasToString("ctk");
    }

    @Test
    void suggestionsNeedACloseMatch() {
        assertThat(Suggestions.closest("nvrc.smi.lcg", Parameter.keys())).hasValue("nvrc.smi.lgc");
        assertThat(Suggestions.closest("zzzzzzzz", Parameter.keys())).isEmpty();
        assertThat(Suggestions.distance("abc", "acb", 3)).isEqualTo(1);
        assertThat(Suggestions.distance("a".repeat(300), "a".repeat(300), 3)).isEqualTo(4);
    }
}
