package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopologyTypesTest {
    @Test
    void devicesAreSortedByBdf() {
        PciFunction b = new PciFunction("0000:c1:00.0", 0x10de, 0x2330, 0x030200);
        PciFunction a = new PciFunction("0000:41:00.0", 0x10de, 0x2330, 0x030200);
        PciTopology t = new PciTopology(List.of(b, a), List.of(), List.of());
        assertThat(t.gpus()).containsExactly(a, b);
        assertThat(t.summary()).isEqualTo("2 GPU, 0 NVSwitch, 0 SW_MNG NIC");
        assertThat(a).hasToString("0000:41:00.0 [10de:2330 class 030200]");
        assertThat(new PciTopology(List.of(), List.of(), List.of()).summary()).isEqualTo("0 GPU, 0 NVSwitch, 0 SW_MNG NIC");
    }

    @Test
    void fabricManagerRunsOnlyWithAFabric() {
        assertThat(new ModeDecision(Mode.GPU, NvLink.NONE, 0, RailPolicy.GREEDY, true).runsFabricManager()).isFalse();
        assertThat(new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NVL5, 1, RailPolicy.SYMMETRIC, false)
                .runsFabricManager()).isTrue();
    }
}
