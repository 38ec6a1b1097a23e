package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.api.Mode;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** From a sysfs tree to the mode, as the launcher chains them. */
class DetectionFromSysfsTest {
    @TempDir
    Path root;

    @ParameterizedTest(name = "{0} NVSwitch, {1} GPU, {2} SW_MNG -> {3} {4}")
    @CsvSource({
        "0, 0, 0, CPU, NONE",
        "0, 1, 0, GPU, NONE",
        "0, 2, 0, GPU, NONE",
        "0, 8, 0, GPU, NONE",
        "0, 16, 0, GPU, NONE",
        "4, 8, 0, GPU, NVL4",
        "4, 0, 0, NVSWITCH_NVL4, NVL4",
        "0, 8, 4, GPU, NVL5",
        "0, 0, 4, NVSWITCH_NVL5, NVL5",
    })
    void eachFixtureTreeGetsItsMode(int nvSwitches, int gpus, int nics, Mode mode, NvLink nvlink) throws BootFailure {
        PciTree tree = new PciTree(root).nvSwitches(nvSwitches).gpus(gpus).swMngNics(nics)
                .device("0000:00:01.0", "0x1af4", "0x1041", "0x020000")  // virtio-net, irrelevant
                .device("0000:10:00.1", "0x10de", "0x22e8", "0x040300"); // a GPU's audio function
        ModeDecision decision = ModeDetector.decide(BootConfig.defaults(), new TopologyReader(tree.paths()).read());
        assertThat(decision.mode()).isEqualTo(mode);
        assertThat(decision.nvlink()).isEqualTo(nvlink);
        assertThat(decision.runsFabricManager()).isEqualTo(nvlink != NvLink.NONE);
    }

    @ParameterizedTest
    @CsvSource({"2, 8, 0, GPU, NVL4", "4, 4, 0, GPU, NVL4", "1, 1, 0, GPU, NVL4", "0, 8, 2, GPU, NVL5",
        "0, 0, 6, NVSWITCH_NVL5, NVL5", "1, 0, 0, NVSWITCH_NVL4, NVL4"})
    void partialAssignmentsOfABoardBootLikeUpstream(int nvSwitches, int gpus, int nics, Mode mode, NvLink nvlink)
            throws BootFailure {
        PciTree tree = new PciTree(root).nvSwitches(nvSwitches).gpus(gpus).swMngNics(nics);
        ModeDecision decision = ModeDetector.decide(BootConfig.defaults(), new TopologyReader(tree.paths()).read());
        assertThat(decision.mode()).isEqualTo(mode);
        assertThat(decision.nvlink()).isEqualTo(nvlink);
    }

    @Test
    void bothFabricsInOneTreeAreRefused() {
        PciTree tree = new PciTree(root).nvSwitches(1).gpus(8).swMngNics(2);
        assertThatThrownBy(() -> ModeDetector.decide(BootConfig.defaults(), new TopologyReader(tree.paths()).read()))
                .isInstanceOf(BootFailure.class).hasMessageStartingWith("both NVSwitches (NVLink 3/4: 0000:80:00.0)");
    }
}
