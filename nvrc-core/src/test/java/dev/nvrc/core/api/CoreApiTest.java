package dev.nvrc.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The api of nvrc-core gives what the init's own parser and detector give, in api types. */
class CoreApiTest {
    @TempDir
    Path root;

    /** A PCI function under root/sys/bus/pci/devices, as sysfs shows it. */
    private CoreApiTest function(String bdf, String vendor, String device, String pciClass) throws IOException {
        Path dir = Files.createDirectories(root.resolve("sys/bus/pci/devices").resolve(bdf));
        Files.writeString(dir.resolve("vendor"), vendor + "\n");
        Files.writeString(dir.resolve("device"), device + "\n");
        Files.writeString(dir.resolve("class"), pciClass + "\n");
        return this;
    }

    private CoreApiTest gpus(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            function(String.format("0000:%02x:00.0", 0x20 - i), "0x10de", "0x2330", "0x030200");
        }
        return this;
    }

    private CoreApiTest nvSwitches(int count) throws IOException {
        for (int i = 0; i < count; i++) {
            function(String.format("0000:%02x:00.0", 0x80 + i), "0x10de", "0x22a3", "0x068000");
        }
        return this;
    }

    @Test
    void settingsAreTheParsersInCommandLineSpelling() throws Exception {
        Settings s = Settings.parse("console=hvc0 nvrc.mode=servicevm-nvl4 nvrc.log=DEBUG nvrc.timeout=60 "
                + "nvrc.modules=nvidia_peermem kata.extension.gpu.verity_params=root_hash=r,salt=s,data_blocks=1,"
                + "data_block_size=2,hash_block_size=3");

        assertThat(s.mode()).hasValue("nvswitch-nvl4");
        assertThat(s.logLevel()).isEqualTo("debug");
        assertThat(s.readinessTimeout("nv-fabricmanager")).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.modules()).containsExactly("nvidia_peermem");
        assertThat(s.extensions()).containsExactly("gpu");
        assertThat(s.effectiveParameters()).containsEntry("nvrc.fm.mode", 1).containsEntry("nvrc.fm.rail.policy", "greedy");
        Settings respelled = Settings.parse("nvrc.mode=nvswitch-nvl4 nvrc.log=debug nvrc.timeout=60 "
                + "nvrc.modules=nvidia_peermem kata.extension.gpu.verity_params=root_hash=r,salt=s,data_blocks=1,"
                + "data_block_size=2,hash_block_size=3");
        assertThat(s).isEqualTo(respelled).hasSameHashCodeAs(respelled).isNotEqualTo(Settings.defaults())
                .isNotEqualTo("x");
        assertThat(s.toString()).startsWith("Settings{nvrc.mode=nvswitch-nvl4, nvrc.log=debug");
    }

    @Test
    void defaultsAreTheEmptyLine() throws Exception {
        Settings d = Settings.defaults();

        assertThat(d).isEqualTo(Settings.parse(""));
        assertThat(d.mode()).isEmpty();
        assertThat(d.logLevel()).isEqualTo("off");
        assertThat(d.lockedGpuClocks()).isEmpty();
        assertThat(d.lockedMemoryClocks()).isEmpty();
        assertThat(d.powerLimit()).isEmpty();
        assertThat(d.uvmPersistence()).isTrue();
        assertThat(d.dcgm()).isFalse();
        assertThat(d.cdiBackend()).isEqualTo("native");
        assertThat(d.modules()).isEmpty();
        assertThat(d.extensions()).isEmpty();
        assertThat(d.readinessTimeout("nvidia-persistenced")).isEqualTo(Duration.ofSeconds(600));
        assertThat(d.readinessTimeout("nv-fabricmanager")).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void numbersAndFlags() throws Exception {
        Settings s = Settings.parse("nvrc.smi.lgc=1980 nvrc.smi.lmc=2619 nvrc.smi.pl=700 nvrc.dcgm "
                + "nvrc.uvm.persistence.mode=off nvrc.cdi=ctk");

        assertThat(s.lockedGpuClocks()).isEqualTo(OptionalInt.of(1980));
        assertThat(s.lockedMemoryClocks()).isEqualTo(OptionalInt.of(2619));
        assertThat(s.powerLimit()).isEqualTo(OptionalInt.of(700));
        assertThat(s.dcgm()).isTrue();
        assertThat(s.uvmPersistence()).isFalse();
        assertThat(s.cdiBackend()).isEqualTo("ctk");
    }

    @Test
    void anInvalidLineListsEveryProblemInOrder() {
        assertThatThrownBy(() -> Settings.parse("nvrc.smi.lcg=1500 quiet nvrc.mode=gpx"))
                .isInstanceOf(NvrcException.class)
                .hasMessage("nvrc.smi.lcg=1500: unknown parameter, did you mean nvrc.smi.lgc?; "
                        + "nvrc.mode=gpx: expected one of gpu, cpu, nvswitch-nvl4, nvswitch-nvl5, servicevm-nvl4,"
                        + " servicevm-nvl5, did you mean gpu?")
                .satisfies(e -> assertThat(((NvrcException) e).problems()).hasSize(2)
                        .first().isEqualTo("nvrc.smi.lcg=1500: unknown parameter, did you mean nvrc.smi.lgc?"))
                .hasNoCause();
    }

    @Test
    void theTopologyIsReadSortedAndTheModeDecided() throws Exception {
        gpus(8).nvSwitches(4).function("0000:00:01.0", "0x1af4", "0x1041", "0x020000");

        PciTopology t = PciTopology.read(root);

        assertThat(t.gpus()).hasSize(8).first().isEqualTo(new PciFunction("0000:19:00.0", 0x10de, 0x2330, 0x030200));
        assertThat(t.gpus().get(0)).hasToString("0000:19:00.0 [10de:2330 class 030200]");
        assertThat(t.nvSwitches()).extracting(PciFunction::bdf).startsWith("0000:80:00.0");
        assertThat(t.swMngNics()).isEmpty();
        assertThat(t.summary()).isEqualTo("8 GPU, 4 NVSwitch, 0 SW_MNG NIC");

        DetectedMode m = DetectedMode.detect(root, Settings.defaults());
        assertThat(m).isEqualTo(new DetectedMode("gpu", "nvl4", 0, "greedy", true));
        assertThat(m.runsFabricManager()).isTrue();
        assertThat(DetectedMode.detect(root, Settings.parse("nvrc.mode=nvswitch-nvl4")))
                .isEqualTo(new DetectedMode("nvswitch-nvl4", "nvl4", 1, "greedy", false));
    }

    @Test
    void aTopologyBuiltByHandIsDecidedLikeARealOne() throws Exception {
        PciTopology none = new PciTopology(List.of(), List.of(), List.of());

        DetectedMode cpu = DetectedMode.decide(Settings.defaults(), none);

        assertThat(cpu).isEqualTo(new DetectedMode("cpu", "none", 0, "greedy", true));
        assertThat(cpu.runsFabricManager()).isFalse();
        assertThat(PciTopology.read(root)).isEqualTo(none); // no /sys/bus/pci/devices: no PCI bus
    }

    @Test
    void failuresAreNvrcExceptionsNamingTheFile() throws Exception {
        function("0000:01:00.0", "0x10de", "0x2330", "0x0b4000");

        assertThatThrownBy(() -> PciTopology.read(root)).isInstanceOf(NvrcException.class)
                .hasMessageStartingWith("PCI function 0000:01:00.0 (NVIDIA device 0x2330) has class 0x0b4000, which nvrc"
                        + " does not know");
        assertThatThrownBy(() -> DetectedMode.decide(Settings.parse("nvrc.fm.mode=1"),
                new PciTopology(List.of(new PciFunction("0000:01:00.0", 0x10de, 0x2330, 0x030200)), List.of(), List.of())))
                .isInstanceOf(NvrcException.class)
                .hasMessage("nvrc.fm.mode=1 has no effect: no NVSwitch fabric detected (found 1 GPU, 0 NVSwitch, 0 SW_MNG NIC)");
        Files.writeString(root.resolve("sys/bus/pci/devices/0000:01:00.0/vendor"), "nvidia\n");
        assertThatThrownBy(() -> PciTopology.read(root)).isInstanceOf(NvrcException.class)
                .hasMessageEndingWith("0000:01:00.0/vendor: expected a hex number of up to 4 digits such as 0x10de,"
                        + " found 'nvidia'");
    }

    @Test
    void anExceptionHasAtLeastOneProblem() {
        assertThat(new NvrcException("x").problems()).containsExactly("x");
        IOException cause = new IOException("low level");
        assertThat(new NvrcException("y", cause)).hasCause(cause).hasMessage("y");
        assertThat(new NvrcException(List.of("a: 1", "b: 2"), null)).hasMessage("a: 1; b: 2").hasNoCause();
        assertThatThrownBy(() -> new NvrcException(List.of(), null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an NvrcException needs at least one problem");
    }

    @Test
    void valuesRefuseNulls() {
        assertThatThrownBy(() -> new PciFunction(null, 0, 0, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new DetectedMode("gpu", null, 0, "greedy", true)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Settings.parse(null)).isInstanceOf(NullPointerException.class);
    }
}
