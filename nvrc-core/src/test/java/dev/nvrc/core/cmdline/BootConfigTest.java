package dev.nvrc.core.cmdline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import java.lang.reflect.Modifier;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BootConfigTest {
    @Test
    void onlyTheParserMakesOne() {
        // No public or protected constructor, and no subclass that could add one.
        assertThat(BootConfig.class.getConstructors()).isEmpty();
        assertThat(BootConfig.class.getDeclaredConstructors()).allSatisfy(c ->
                assertThat(c.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.PRIVATE)).isZero());
        assertThat(Modifier.isFinal(BootConfig.class.getModifiers())).isTrue();
    }

    @Test
    void defaultsAreTheEmptyCommandLine() throws Exception {
        assertThat(BootConfig.defaults()).isEqualTo(ConfigParser.parse("")).hasSameHashCodeAs(ConfigParser.parse(""));
        assertThat(BootConfig.defaults().daemonTimeouts()).isEqualTo(BootConfig.defaultDaemonTimeouts());
    }

    @Test
    void equalWhenEverySettingIsWhateverTheSpelling() throws Exception {
        BootConfig a = ConfigParser.parse("nvrc.dcgm=on nvrc.modules=a,b nvrc.smi.lgc=1500");
        BootConfig b = ConfigParser.parse("nvrc.smi.lgc=1500 nvrc.dcgm nvrc.modules=a,b quiet");

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(BootConfig.defaults()).isNotEqualTo("nvrc.dcgm=on");
        assertThat(a).isNotEqualTo(ConfigParser.parse("nvrc.dcgm=on nvrc.modules=b,a nvrc.smi.lgc=1500"));
        assertThat(a.toString()).startsWith("BootConfig{").contains("nvrc.dcgm=true", "nvrc.smi.lgc=1500",
                "nvrc.modules=[a, b]");
    }

    @Test
    void effectiveParametersListEveryKeyTypedWithDefaults() {
        Map<String, Object> m = BootConfig.defaults().effectiveParameters();
        assertThat(m.keySet()).containsExactlyElementsOf(java.util.Arrays.stream(Parameter.values()).map(Parameter::key).toList());
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
