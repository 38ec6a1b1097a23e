package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.cmdline.ConfigParser;
import dev.nvrc.core.cmdline.InvalidCommandLineException;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModeDetectorTest {
    private static PciTopology topology(int nvSwitches, int gpus, int swMngNics) {
        return new PciTopology(devices(gpus, 0x10de, 0x030200, 0x10),
                devices(nvSwitches, 0x10de, 0x068000, 0x80),
                devices(swMngNics, 0x15b3, 0x020700, 0xc0));
    }

    private static List<PciFunction> devices(int count, int vendor, int pciClass, int firstBus) {
        List<PciFunction> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new PciFunction(String.format("0000:%02x:00.0", firstBus + i), vendor, 0x1234, pciClass));
        }
        return out;
    }

    /** The configuration of the command line that sets these three, each only when not null. */
    private static BootConfig config(Mode mode, Integer fmMode, RailPolicy railPolicy) throws InvalidCommandLineException {
        StringBuilder line = new StringBuilder();
        if (mode != null) {
            line.append(" nvrc.mode=").append(mode.canonical());
        }
        if (fmMode != null) {
            line.append(" nvrc.fm.mode=").append(fmMode);
        }
        if (railPolicy != null) {
            line.append(" nvrc.fm.rail.policy=").append(railPolicy.canonical());
        }
        return ConfigParser.parse(line.toString());
    }

    private static ModeDecision detect(int nvSwitches, int gpus, int swMngNics) throws BootFailure {
        return ModeDetector.decide(BootConfig.defaults(), topology(nvSwitches, gpus, swMngNics));
    }

    @ParameterizedTest(name = "({0} NVSwitch, {1} GPU, {2} SW_MNG) -> {3} {4} fm={5} {6}")
    @CsvSource({
        "0, 0, 0, CPU,           NONE, 0, GREEDY",
        "0, 1, 0, GPU,           NONE, 0, GREEDY",
        "0, 2, 0, GPU,           NONE, 0, GREEDY",
        "0, 8, 0, GPU,           NONE, 0, GREEDY",
        "0, 16, 0, GPU,          NONE, 0, GREEDY",
        "4, 8, 0, GPU,           NVL4, 0, GREEDY",
        "4, 4, 0, GPU,           NVL4, 0, GREEDY",
        "1, 1, 0, GPU,           NVL4, 0, GREEDY",
        "2, 2, 0, GPU,           NVL4, 0, GREEDY",
        "4, 0, 0, NVSWITCH_NVL4, NVL4, 1, GREEDY",
        "1, 0, 0, NVSWITCH_NVL4, NVL4, 1, GREEDY",
        "0, 8, 4, GPU,           NVL5, 0, SYMMETRIC",
        "0, 8, 2, GPU,           NVL5, 0, SYMMETRIC",
        "0, 1, 1, GPU,           NVL5, 0, SYMMETRIC",
        "0, 0, 4, NVSWITCH_NVL5, NVL5, 1, SYMMETRIC",
        "0, 0, 1, NVSWITCH_NVL5, NVL5, 1, SYMMETRIC",
        "0, 0, 6, NVSWITCH_NVL5, NVL5, 1, SYMMETRIC",
    })
    void theRolesDecideTheModeWithoutAnyCount(int nvSwitches, int gpus, int nics, Mode mode, NvLink nvlink,
            int fabricMode, RailPolicy policy) throws BootFailure {
        assertThat(detect(nvSwitches, gpus, nics))
                .isEqualTo(new ModeDecision(mode, nvlink, fabricMode, policy, true));
    }

    @ParameterizedTest(name = "({0} NVSwitch, {1} GPU, {2} SW_MNG) is two fabrics")
    @CsvSource({"4, 8, 4", "1, 0, 1", "6, 8, 4", "1, 1, 1"})
    void bothFabricKindsAtOnceFailNamingTheFunctionsOfEach(int nvSwitches, int gpus, int nics) {
        assertThatThrownBy(() -> detect(nvSwitches, gpus, nics)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("both NVSwitches (NVLink 3/4: 0000:80:00.0")
                .hasMessageContaining("ConnectX management functions (NVLink 5: 0000:c0:00.0")
                .hasMessageEndingWith("cannot tell which fabric to bring up: " + gpus + " GPU, " + nvSwitches
                        + " NVSwitch, " + nics + " SW_MNG NIC");
    }

    private static PciTopology a100(int nvSwitches, int gpus) {
        List<PciFunction> switches = new ArrayList<>();
        for (int i = 0; i < nvSwitches; i++) {
            switches.add(new PciFunction(String.format("0000:%02x:00.0", 0x80 + i), 0x10de,
                    ModeDetector.NVSWITCH_GEN2_DEVICE, 0x068000));
        }
        return new PciTopology(devices(gpus, 0x10de, 0x030200, 0x10), switches, List.of());
    }

    @Test
    void secondGenerationNvSwitchesAreNvLink3WhateverTheirNumber() throws BootFailure {
        assertThat(ModeDetector.decide(BootConfig.defaults(), a100(6, 8)).nvlink()).isEqualTo(NvLink.NVL3);
        assertThat(ModeDetector.decide(BootConfig.defaults(), a100(6, 0)))
                .isEqualTo(new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL3, 1, RailPolicy.GREEDY, true));
        assertThat(ModeDetector.decide(BootConfig.defaults(), a100(2, 3)).nvlink()).isEqualTo(NvLink.NVL3);
        assertThat(ModeDetector.decide(config(Mode.GPU, null, null), a100(6, 7)).nvlink()).isEqualTo(NvLink.NVL3);
        assertThat(ModeDetector.decide(config(Mode.NVSWITCH_NVL4, null, null), a100(1, 0)).nvlink())
                .isEqualTo(NvLink.NVL3);
        assertThat(ModeDetector.decide(BootConfig.defaults(), topology(6, 8, 0)).nvlink())
                .as("six third-generation switches are not an A100 board").isEqualTo(NvLink.NVL4);
    }

    @Test
    void onlyAnIsolatedGpuHasNoNvLinkPeer() {
        assertThat(ModeDetector.isolatedGpu(topology(0, 1, 0))).isTrue();
        assertThat(ModeDetector.isolatedGpu(topology(0, 2, 0))).isFalse();
        assertThat(ModeDetector.isolatedGpu(topology(1, 1, 0))).isFalse();
        assertThat(ModeDetector.isolatedGpu(topology(0, 1, 1))).isFalse();
        assertThat(ModeDetector.isolatedGpu(topology(0, 0, 0))).isFalse();
    }

    @Test
    void explicitGpuModeOnNvl4HardwareKeepsTheFabric() throws BootFailure {
        assertThat(ModeDetector.decide(config(Mode.GPU, null, null), topology(4, 8, 0)))
                .isEqualTo(new ModeDecision(Mode.GPU, NvLink.NVL4, 0, RailPolicy.GREEDY, false));
    }

    @Test
    void explicitGpuModeOnNvl5HardwareKeepsTheFabric() throws BootFailure {
        assertThat(ModeDetector.decide(config(Mode.GPU, null, null), topology(0, 8, 4)))
                .isEqualTo(new ModeDecision(Mode.GPU, NvLink.NVL5, 0, RailPolicy.SYMMETRIC, false));
    }

    @Test
    void explicitGpuModeOnAPartialBoardKeepsTheFabric() throws BootFailure {
        assertThat(ModeDetector.decide(config(Mode.GPU, null, null), topology(2, 4, 0)))
                .isEqualTo(new ModeDecision(Mode.GPU, NvLink.NVL4, 0, RailPolicy.GREEDY, false));
    }

    @Test
    void explicitGpuModeWithBothFabricsFails() {
        assertThatThrownBy(() -> ModeDetector.decide(config(Mode.GPU, null, null), topology(4, 8, 4)))
                .isInstanceOf(BootFailure.class)
                .hasMessageContaining("both NVSwitches (NVLink 3/4: ")
                .hasMessageContaining("and ConnectX management functions (NVLink 5: ")
                .hasMessageContaining("8 GPU, 4 NVSwitch, 4 SW_MNG NIC");
    }

    @Test
    void explicitCpuModeRunsNothingWhateverTheHardware() throws BootFailure {
        assertThat(ModeDetector.decide(config(Mode.CPU, null, null), topology(4, 8, 0)))
                .isEqualTo(new ModeDecision(Mode.CPU, NvLink.NONE, 0, RailPolicy.GREEDY, false));
    }

    @Test
    void explicitServiceVmModes() throws BootFailure {
        assertThat(ModeDetector.decide(config(Mode.NVSWITCH_NVL4, null, null), topology(4, 0, 0)))
                .isEqualTo(new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL4, 1, RailPolicy.GREEDY, false));
        assertThat(ModeDetector.decide(config(Mode.NVSWITCH_NVL5, null, null), topology(0, 0, 4)))
                .isEqualTo(new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NVL5, 1, RailPolicy.SYMMETRIC, false));
    }

    @ParameterizedTest(name = "{0} on ({1} NVSwitch, {2} GPU, {3} SW_MNG)")
    @CsvSource(delimiter = '|', value = {
        "GPU | 0 | 0 | 0 | nvrc.mode=gpu needs an NVIDIA GPU, found 0 GPU, 0 NVSwitch, 0 SW_MNG NIC",
        "GPU | 4 | 0 | 0 | nvrc.mode=gpu needs an NVIDIA GPU, found 0 GPU, 4 NVSwitch, 0 SW_MNG NIC",
        "NVSWITCH_NVL4 | 0 | 8 | 0 | nvrc.mode=nvswitch-nvl4 needs an NVSwitch, found 8 GPU, 0 NVSwitch, 0 SW_MNG NIC",
        "NVSWITCH_NVL4 | 0 | 0 | 4 | nvrc.mode=nvswitch-nvl4 needs an NVSwitch, found 0 GPU, 0 NVSwitch, 4 SW_MNG NIC",
        "NVSWITCH_NVL5 | 4 | 0 | 0 | nvrc.mode=nvswitch-nvl5 needs a SW_MNG NIC (NVLink 5 management), found 0 GPU, 4 NVSwitch, 0 SW_MNG NIC",
    })
    void anExplicitModeTheHardwareCannotServeFails(Mode mode, int nvSwitches, int gpus, int nics, String message) {
        assertThatThrownBy(() -> ModeDetector.decide(config(mode, null, null), topology(nvSwitches, gpus, nics)))
                .isInstanceOf(BootFailure.class).hasMessage(message);
    }

    @Test
    void fabricModeOverrideWins() throws BootFailure {
        assertThat(ModeDetector.decide(config(null, 1, null), topology(4, 8, 0)).fabricMode()).isEqualTo(1);
        assertThat(ModeDetector.decide(config(null, 0, null), topology(4, 0, 0)).fabricMode()).isEqualTo(0);
        assertThat(ModeDetector.decide(config(Mode.NVSWITCH_NVL5, 0, null), topology(0, 0, 4)).fabricMode())
                .isEqualTo(0);
    }

    @Test
    void railPolicyOverrideWinsForNvl4() throws BootFailure {
        assertThat(ModeDetector.decide(config(null, null, RailPolicy.SYMMETRIC), topology(4, 8, 0)).railPolicy())
                .isEqualTo(RailPolicy.SYMMETRIC);
        assertThat(ModeDetector.decide(config(null, null, RailPolicy.GREEDY), topology(4, 0, 0)).railPolicy())
                .isEqualTo(RailPolicy.GREEDY);
    }

    @Test
    void symmetricMayBeGivenExplicitlyForNvl5() throws BootFailure {
        assertThat(ModeDetector.decide(config(null, null, RailPolicy.SYMMETRIC), topology(0, 8, 4)).railPolicy())
                .isEqualTo(RailPolicy.SYMMETRIC);
    }

    @Test
    void greedyWithAnNvl5FabricFails() {
        assertThatThrownBy(() -> ModeDetector.decide(config(null, null, RailPolicy.GREEDY), topology(0, 0, 4)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("nvrc.fm.rail.policy=greedy: NVLink 5 needs symmetric (found 0 GPU, 0 NVSwitch, 4 SW_MNG NIC)");
    }

    @Test
    void fabricSettingsWithoutAFabricFailNamingTheParameter() {
        assertThatThrownBy(() -> ModeDetector.decide(config(null, 0, null), topology(0, 8, 0)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("nvrc.fm.mode=0 has no effect: no NVSwitch fabric detected (found 8 GPU, 0 NVSwitch, 0 SW_MNG NIC)");
        assertThatThrownBy(() -> ModeDetector.decide(config(Mode.GPU, null, RailPolicy.SYMMETRIC), topology(0, 1, 0)))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvrc.fm.rail.policy=symmetric has no effect: no NVSwitch fabric detected");
    }

    @Test
    void fabricSettingsInCpuModeFail() {
        // An explicit cpu mode with a fabric setting never gets here: the parser refuses the pair.
        assertThatThrownBy(() -> config(Mode.CPU, 1, null))
                .isInstanceOf(InvalidCommandLineException.class)
                .hasMessage("nvrc.fm.mode=1: has no effect in cpu mode (nvrc.mode=cpu runs no GPU or fabric work)");
        assertThatThrownBy(() -> ModeDetector.decide(config(null, null, RailPolicy.GREEDY), topology(0, 0, 0)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("nvrc.fm.rail.policy=greedy has no effect: mode cpu runs no Fabric Manager");
    }
}
