package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BoardTest {
    private static List<PciFunction> functions(int count, int vendor, int device, int pciClass, int bus) {
        List<PciFunction> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new PciFunction(String.format("0000:%02x:00.0", bus + i), vendor, device, pciClass));
        }
        return out;
    }

    private static Board board(int gpus, int gpuDevice, int switches, int switchDevice, int nics) {
        return Board.of(new PciTopology(functions(gpus, 0x10de, gpuDevice, 0x030200, 0x10),
                functions(switches, 0x10de, switchDevice, 0x068000, 0x80), functions(nics, 0x15b3, 0x1021, 0x020700, 0xc0)));
    }

    @Test
    void boardsAreNamedByChipFamilyAndFabricHardware() {
        assertThat(board(0, 0, 0, 0, 0)).isEqualTo(Board.NO_GPU);
        assertThat(board(0, 0, 4, 0x22a3, 0)).isEqualTo(Board.NO_GPU);
        assertThat(board(8, 0x2330, 4, 0x22a3, 0)).isEqualTo(Board.HGX_HX00);
        assertThat(board(1, 0x2335, 1, 0x22a3, 0)).as("a partial H200 board").isEqualTo(Board.HGX_HX00);
        assertThat(board(8, 0x20b2, 6, 0x1af1, 0)).isEqualTo(Board.HGX_A100);
        assertThat(board(8, 0x2901, 0, 0, 2)).isEqualTo(Board.HGX_BX00);
        assertThat(board(4, 0x3182, 0, 0, 4)).as("B300").isEqualTo(Board.HGX_BX00);
        assertThat(board(8, 0x3002, 0, 0, 2)).isEqualTo(Board.HGX_RX00);
        assertThat(board(1, 0x2331, 0, 0, 0)).isEqualTo(Board.GPUS_WITHOUT_FABRIC);
        assertThat(board(2, 0x1eb8, 0, 0, 0)).as("a T4: no family nvrc names").isEqualTo(Board.UNKNOWN);
        assertThat(board(8, 0x2330, 0, 0, 2)).as("Hopper has no ConnectX fabric").isEqualTo(Board.UNKNOWN);
        assertThat(board(8, 0x2901, 4, 0x22a3, 0)).isEqualTo(Board.UNKNOWN);
    }

    @Test
    void gpusOfTwoFamiliesAreMixed() {
        PciTopology t = new PciTopology(List.of(new PciFunction("0000:10:00.0", 0x10de, 0x2330, 0x030200),
                new PciFunction("0000:11:00.0", 0x10de, 0x2901, 0x030200)), List.of(), List.of());
        assertThat(Board.of(t)).isEqualTo(Board.MIXED);
        assertThat(Board.MIXED.description()).isEqualTo("GPUs of different families");
    }
}
