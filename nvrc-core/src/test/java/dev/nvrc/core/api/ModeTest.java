package dev.nvrc.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModeTest {
    @Test
    void parsesCanonicalNamesAndAliasesIgnoringCase() {
        assertThat(Mode.parse("GPU")).contains(Mode.GPU);
        assertThat(Mode.parse("nvswitch-nvl4")).contains(Mode.NVSWITCH_NVL4);
        assertThat(Mode.parse("ServiceVM-NVL5")).contains(Mode.NVSWITCH_NVL5);
        assertThat(Mode.parse("tpu")).isEmpty();
    }

    @Test
    void listsCanonicalSpellingsFirst() {
        assertThat(Mode.spellings()).containsExactly(
                "gpu", "cpu", "nvswitch-nvl4", "nvswitch-nvl5", "servicevm-nvl4", "servicevm-nvl5");
    }

    @Test
    void onlyTheNvswitchModesAreServiceVms() {
        assertThat(Mode.NVSWITCH_NVL4.isServiceVm()).isTrue();
        assertThat(Mode.NVSWITCH_NVL5.isServiceVm()).isTrue();
        assertThat(Mode.GPU.isServiceVm()).isFalse();
        assertThat(Mode.CPU.isServiceVm()).isFalse();
        assertThat(Mode.NVSWITCH_NVL5).hasToString("nvswitch-nvl5");
    }
}
