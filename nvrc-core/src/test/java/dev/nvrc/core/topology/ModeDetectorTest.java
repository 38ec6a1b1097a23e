package dev.nvrc.core.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.cmdline.Mode;
import dev.nvrc.core.cmdline.RailPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModeDetectorTest {
    private static Topology topology(int nvSwitches, int gpus, int swMngNics) {
        return new Topology(devices(gpus, 0x10de, 0x030200, 0x10),
                devices(nvSwitches, 0x10de, 0x068000, 0x80),
                devices(swMngNics, 0x15b3, 0x020700, 0xc0));
    }

    private static List<PciDevice> devices(int count, int vendor, int pciClass, int firstBus) {
        List<PciDevice> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new PciDevice(String.format("0000:%02x:00.0", firstBus + i), vendor, 0x1234, pciClass));
        }
        return out;
    }

    private static Config config(Mode mode, Integer fmMode, RailPolicy railPolicy) {
        Config d = Config.defaults();
        return new Config(mode, d.log(), d.smiLgc(), d.smiLmc(), d.smiPl(), d.smiSrs(), d.uvmPersistence(),
                d.dcgm(), fmMode, railPolicy, d.timeout(), d.daemonTimeouts(), d.cdi(), d.extensions(), d.modules());
    }

    private static ModeDecision detect(int nvSwitches, int gpus, int swMngNics) throws BootFailure {
        return ModeDetector.decide(Config.defaults(), topology(nvSwitches, gpus, swMngNics));
    }

    @ParameterizedTest(name = "({0} NVSwitch, {1} GPU, {2} SW_MNG) -> {3} {4} fm={5} {6}")
    @CsvSource({
        "0, 0, 0, CPU,           NONE, 0, GREEDY",
        "0, 1, 0, GPU,           NONE, 0, GREEDY",
        "0, 2, 0, GPU,           NONE, 0, GREEDY",
        "0, 8, 0, GPU,           NONE, 0, GREEDY",
        "0, 16, 0, GPU,          NONE, 0, GREEDY",
        "6, 8, 0, GPU,           NVL3, 0, GREEDY",
        "6, 0, 0, NVSWITCH_NVL4, NVL3, 1, GREEDY",
        "4, 8, 0, GPU,           NVL4, 0, GREEDY",
        "4, 0, 0, NVSWITCH_NVL4, NVL4, 1, GREEDY",
        "0, 8, 4, GPU,           NVL5, 0, SYMMETRIC",
        "0, 0, 4, NVSWITCH_NVL5, NVL5, 1, SYMMETRIC",
    })
    void detectsTheModeByTheTableOfKnownLayouts(int nvSwitches, int gpus, int nics, Mode mode, NvLink nvlink,
            int fabricMode, RailPolicy policy) throws BootFailure {
        assertThat(detect(nvSwitches, gpus, nics))
                .isEqualTo(new ModeDecision(mode, nvlink, fabricMode, policy, true));
    }

    @ParameterizedTest(name = "({0} NVSwitch, {1} GPU, {2} SW_MNG) is unexpected")
    @CsvSource({"2, 0, 0", "4, 4, 0", "1, 8, 0", "0, 0, 1", "0, 8, 2", "0, 4, 4", "4, 8, 4", "8, 8, 0", "0, 16, 4",
        "6, 4, 0", "6, 16, 0", "12, 16, 0", "6, 8, 4", "6, 0, 4"})
    void anUnsupportedCombinationFailsListingWhatWasFound(int nvSwitches, int gpus, int nics) {
        assertThatThrownBy(() -> detect(nvSwitches, gpus, nics)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("unexpected topology: " + gpus + " GPU, " + nvSwitches + " NVSwitch, "
                        + nics + " SW_MNG NIC: cannot determine the mode")
                .hasMessageContaining("known layouts are " + KnownLayout.list())
                .hasMessageContaining("HGX A100 8-GPU, full passthrough (8 GPU + 6 NVSwitch, NVLink 3)")
                .hasMessageContaining("set nvrc.mode=gpu, cpu, nvswitch-nvl4 or nvswitch-nvl5 to choose one");
    }

    @Test
    void explicitGpuModeOnAnA100BoardWithAMissingSwitchStillRunsTheNvlink3Fabric() throws BootFailure {
        assertThat(ModeDetector.decide(config(Mode.GPU, null, null), topology(6, 7, 0)).nvlink())
                .isEqualTo(NvLink.NVL3);
        assertThat(ModeDetector.decide(config(Mode.NVSWITCH_NVL4, null, null), topology(6, 0, 0)).nvlink())
                .isEqualTo(NvLink.NVL3);
        assertThat(ModeDetector.decide(config(Mode.NVSWITCH_NVL4, null, null), topology(2, 0, 0)).nvlink())
                .isEqualTo(NvLink.NVL4);
    }

    @Test
    void everyKnownLayoutDecidesItsOwnModeAndFabric() throws BootFailure {
        for (KnownLayout layout : KnownLayout.values()) {
            int[] counts = switch (layout) {
                case NO_GPU -> new int[] {0, 0, 0};
                case GPUS_ONLY -> new int[] {0, 3, 0};
                case HGX_A100 -> new int[] {6, 8, 0};
                case HGX_A100_SERVICE_VM -> new int[] {6, 0, 0};
                case HGX_H100 -> new int[] {4, 8, 0};
                case HGX_H100_SERVICE_VM -> new int[] {4, 0, 0};
                case HGX_B200 -> new int[] {0, 8, 4};
                case HGX_B200_SERVICE_VM -> new int[] {0, 0, 4};
            };
            Topology t = topology(counts[0], counts[1], counts[2]);
            assertThat(KnownLayout.of(t)).contains(layout);
            ModeDecision d = ModeDetector.decide(Config.defaults(), t);
            assertThat(d.mode()).as(layout.name()).isEqualTo(layout.mode());
            assertThat(d.nvlink()).as(layout.name()).isEqualTo(layout.nvlink());
        }
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
    void explicitGpuModeServesALayoutDetectionRefuses() throws BootFailure {
        assertThat(ModeDetector.decide(config(Mode.GPU, null, null), topology(2, 4, 0)))
                .isEqualTo(new ModeDecision(Mode.GPU, NvLink.NVL4, 0, RailPolicy.GREEDY, false));
    }

    @Test
    void explicitGpuModeWithBothFabricsFails() {
        assertThatThrownBy(() -> ModeDetector.decide(config(Mode.GPU, null, null), topology(4, 8, 4)))
                .isInstanceOf(BootFailure.class)
                .hasMessageContaining("both NVSwitches (NVLink 4) and SW_MNG NICs (NVLink 5)")
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
        assertThatThrownBy(() -> ModeDetector.decide(config(Mode.CPU, 1, null), topology(4, 0, 0)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("nvrc.fm.mode=1 has no effect: mode cpu runs no Fabric Manager");
        assertThatThrownBy(() -> ModeDetector.decide(config(null, null, RailPolicy.GREEDY), topology(0, 0, 0)))
                .isInstanceOf(BootFailure.class)
                .hasMessage("nvrc.fm.rail.policy=greedy has no effect: mode cpu runs no Fabric Manager");
    }
}
