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
        assertThat(s.readinessTimeout(Daemon.NV_FABRICMANAGER)).hasValue(Duration.ofSeconds(60));
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
        assertThat(d.readinessTimeout(Daemon.NVIDIA_PERSISTENCED)).hasValue(Duration.ofSeconds(600));
        assertThat(d.readinessTimeout(Daemon.NV_FABRICMANAGER)).hasValue(Duration.ofSeconds(300));
        assertThat(d.confComputeReadyState()).isEmpty();
        assertThat(d.fabricMode()).isEmpty();
        assertThat(d.railPolicy()).isEmpty();
        assertThat(d.verityParameters("gpu")).isEmpty();
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

        ModeDecision m = ModeDecision.detect(root, Settings.defaults());
        assertThat(m).isEqualTo(new ModeDecision(Mode.GPU, NvLink.NVL4, 0, RailPolicy.GREEDY, true));
        assertThat(m.runsFabricManager()).isTrue();
        assertThat(ModeDecision.detect(root, Settings.parse("nvrc.mode=nvswitch-nvl4")))
                .isEqualTo(new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL4, 1, RailPolicy.GREEDY, false));
    }

    @Test
    void aTopologyBuiltByHandIsDecidedLikeARealOne() throws Exception {
        PciTopology none = new PciTopology(List.of(), List.of(), List.of());

        ModeDecision cpu = ModeDecision.decide(Settings.defaults(), none);

        assertThat(cpu).isEqualTo(new ModeDecision(Mode.CPU, NvLink.NONE, 0, RailPolicy.GREEDY, true));
        assertThat(cpu.runsFabricManager()).isFalse();
        Files.createDirectories(root.resolve("sys"));
        assertThat(PciTopology.read(root)).isEqualTo(none); // a sys without bus/pci/devices: no PCI bus
    }

    @Test
    void failuresAreNvrcExceptionsNamingTheFile() throws Exception {
        function("0000:01:00.0", "0x10de", "0x2330", "0x0b4000");

        assertThatThrownBy(() -> PciTopology.read(root)).isInstanceOf(NvrcException.class)
                .hasMessageStartingWith("under " + root + ": PCI function 0000:01:00.0 (NVIDIA device 0x2330) has class"
                        + " 0x0b4000, which nvrc does not know");
        assertThatThrownBy(() -> ModeDecision.decide(Settings.parse("nvrc.fm.mode=1"),
                new PciTopology(List.of(new PciFunction("0000:01:00.0", 0x10de, 0x2330, 0x030200)), List.of(), List.of())))
                .isInstanceOf(NvrcException.class)
                .hasMessage("nvrc.fm.mode=1 has no effect: no NVSwitch fabric detected (found 1 GPU, 0 NVSwitch, 0 SW_MNG NIC)");
        Files.writeString(root.resolve("sys/bus/pci/devices/0000:01:00.0/vendor"), "nvidia\n");
        assertThatThrownBy(() -> PciTopology.read(root)).isInstanceOf(NvrcException.class)
                .hasMessage("under " + root + ": /sys/bus/pci/devices/0000:01:00.0/vendor: expected a hex number of"
                        + " up to 4 digits such as 0x10de, found 'nvidia'");
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
        assertThatThrownBy(() -> new ModeDecision(Mode.GPU, null, 0, RailPolicy.GREEDY, true)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Settings.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void readinessTimeoutIsWhatTheBootWaitsPerDaemon() throws Exception {
        Settings d = Settings.defaults();
        assertThat(d.readinessTimeout(Daemon.NVLSM)).hasValue(Duration.ofSeconds(1)); // the settle time, not nvrc.timeout
        assertThat(d.readinessTimeout(Daemon.NV_HOSTENGINE)).hasValue(Duration.ofSeconds(300)); // its readiness line
        assertThat(d.readinessTimeout(Daemon.DCGM_EXPORTER)).isEmpty(); // started, not awaited

        Settings timeout = Settings.parse("nvrc.timeout=60");
        assertThat(timeout.readinessTimeout(Daemon.NVIDIA_PERSISTENCED)).hasValue(Duration.ofSeconds(60));
        assertThat(timeout.readinessTimeout(Daemon.NV_FABRICMANAGER)).hasValue(Duration.ofSeconds(60));
        assertThat(timeout.readinessTimeout(Daemon.NVLSM)).hasValue(Duration.ofSeconds(1));
        assertThat(timeout.readinessTimeout(Daemon.NV_HOSTENGINE)).hasValue(Duration.ofSeconds(60));

        Settings own = Settings.parse("nvrc.timeout=60 nvrc.nvlsm.settle=5 nvrc.timeout.nv-fabricmanager=900");
        assertThat(own.readinessTimeout(Daemon.NVLSM)).hasValue(Duration.ofSeconds(5));
        assertThat(own.readinessTimeout(Daemon.NV_FABRICMANAGER)).hasValue(Duration.ofSeconds(900));
        assertThat(own.readinessTimeout(Daemon.NVIDIA_PERSISTENCED)).hasValue(Duration.ofSeconds(60));

        assertThat(Daemon.NVIDIA_PERSISTENCED.daemonName()).isEqualTo("nvidia-persistenced");
        assertThat(Daemon.NV_HOSTENGINE.daemonName()).isEqualTo("nv-hostengine");
        assertThatThrownBy(() -> d.readinessTimeout(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void everyTypedSettingHasAnAccessor() throws Exception {
        Settings s = Settings.parse("nvrc.smi.srs=enabled nvrc.fm.mode=1 nvrc.fm.rail.policy=symmetric nvrc.uvm.tools=on "
                + "kata.extension.gpu.verity_params=root_hash=ab12,salt=00ff,data_blocks=10,data_block_size=4096,"
                + "hash_block_size=512");

        assertThat(s.confComputeReadyState()).isEqualTo(OptionalInt.of(1));
        assertThat(Settings.parse("nvrc.smi.srs=disabled").confComputeReadyState()).isEqualTo(OptionalInt.of(0));
        assertThat(s.fabricMode()).isEqualTo(OptionalInt.of(1));
        assertThat(s.railPolicy()).hasValue("symmetric");
        assertThat(s.uvmTools()).isTrue();
        assertThat(s.verityParameters("gpu")).hasValue(new VerityParameters("ab12", "00ff", 10, 4096, 512));
        assertThat(s.verityParameters("other")).isEmpty();
        // An explicit service-VM mode implies Fabric Manager's settings, as the boot reads them.
        assertThat(Settings.parse("nvrc.mode=nvswitch-nvl4").fabricMode()).isEqualTo(OptionalInt.of(1));
    }

    @Test
    void aRootThatIsNotATreeIsRefusedByEveryCallAlike() throws Exception {
        Path typo = root.resolve("typo");
        Path file = Files.writeString(root.resolve("file"), "x");
        Path noSys = Files.createDirectories(root.resolve("empty"));

        for (Path bad : List.of(typo, file, noSys)) {
            String expected = "under " + bad + ": " + (bad == typo ? "no such directory"
                    : bad == file ? "not a directory" : "no sys directory: not the root of a machine or image tree");
            assertThatThrownBy(() -> PciTopology.read(bad)).isInstanceOf(NvrcException.class).hasMessage(expected);
            assertThatThrownBy(() -> ModeDecision.detect(bad, Settings.defaults())).isInstanceOf(NvrcException.class)
                    .hasMessage(expected);
        }
    }

    @Test
    void anErrorNamesTheRootAsTheCallerGaveIt() throws Exception {
        function("0000:01:00.0", "0x10de", "0x2330", "0x030200");
        Files.writeString(root.resolve("sys/bus/pci/devices/0000:01:00.0/class"), "display\n");
        Path relative = Path.of("").toAbsolutePath().relativize(root);
        Path unnormalized = root.resolve("sys/..");

        assertThatThrownBy(() -> PciTopology.read(relative)).hasMessageStartingWith("under " + relative + ": "
                + "/sys/bus/pci/devices/0000:01:00.0/class: ");
        assertThatThrownBy(() -> PciTopology.read(unnormalized)).hasMessageStartingWith("under " + unnormalized + ": "
                + "/sys/bus/pci/devices/0000:01:00.0/class: ");
    }

    @Test
    void valuesRefuseNonsense() {
        // A mode, fabric or rail policy the boot does not know cannot be spelled: they are enums.
        assertThatThrownBy(() -> new ModeDecision(Mode.GPU, NvLink.NONE, 7, RailPolicy.GREEDY, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fabricMode is 0 or 1, not 7");
        assertThatThrownBy(() -> new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NVL5, 1, RailPolicy.GREEDY, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("NVLink 5 cannot use the greedy rail policy");
        assertThatThrownBy(() -> new PciFunction("41:00.0", 0x10de, 0x2330, 0x030200))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a PCI address (0000:41:00.0): 41:00.0");
        assertThatThrownBy(() -> new PciFunction("0000:41:00.0", 0x10000, 0x2330, 0x030200))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PciFunction("0000:41:00.0", 0x10de, 0x2330, 0x1000000))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerityParameters("ab", "-", 0, 4096, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new VerityParameters(null, "-", 1, 4096, 4096)).isInstanceOf(NullPointerException.class);
    }
}
