package dev.nvrc.plan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.Daemon;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.api.RailPolicy;
import dev.nvrc.core.api.Settings;
import dev.nvrc.plan.BootPlan;
import dev.nvrc.plan.PlanJson;
import dev.nvrc.testkit.SysfsFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The library's plan is the boot's plan, as values. */
class GuestPlanTest {
    @TempDir
    Path root;

    @Test
    void aGpuGuestRunsItsProgramsInTheBootsOrder() throws Exception {
        SysfsFixture.at(root).gpus(2);

        GuestPlan plan = GuestPlan.of("nvrc.dcgm=on nvrc.smi.lgc=1980", root);

        assertThat(plan.mode()).isEqualTo(new ModeDecision(Mode.GPU, NvLink.NONE, 0, RailPolicy.GREEDY, true));
        assertThat(plan.settings()).isEqualTo(Settings.parse("nvrc.dcgm=on nvrc.smi.lgc=1980"));
        assertThat(plan.layout()).isEqualTo("base image");
        assertThat(plan.extensions()).isEmpty();
        assertThat(plan.programs()).extracting(PlannedStep::name).containsExactly("modprobe nvidia",
                "modprobe nvidia-uvm", "nvidia-persistenced", "nvidia-smi -lgc", "nv-hostengine", "dcgm-exporter",
                "handoff");
        PlannedStep persistenced = plan.step("nvidia-persistenced").orElseThrow();
        assertThat(persistenced.argv()).containsExactly("/bin/nvidia-persistenced", "--verbose", "--uvm-persistence-mode");
        assertThat(persistenced.isDaemon()).isTrue();
        assertThat(persistenced.awaits()).hasValue("Local RPC services initialized");
        assertThat(persistenced.timeout()).hasValue(Duration.ofSeconds(600));
        assertThat(plan.step("nv-hostengine").orElseThrow().awaits()).hasValue("Started host engine version");
        assertThat(plan.step("dcgm-exporter").orElseThrow().awaits()).isEmpty();
        assertThat(plan.step("cdi").orElseThrow().details()).containsEntry("path", "/var/run/cdi/nvidia.json");
        assertThat(plan.step("no such step")).isEmpty();
        // An image whose driver is not loaded cannot tell its CDI devices yet.
        assertThat(plan.cdiDevices()).isEmpty();
        assertThat(plan.toString()).isEqualTo("GuestPlan[gpu, base image, " + plan.steps().size() + " steps]");
    }

    @Test
    void theJsonIsThePlansAndTheStepsItsEntries() throws Exception {
        SysfsFixture.at(root).gpus(8).nvSwitches(4).text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=1\n")
                .dir("run");
        String cmdline = "nvrc.smi.srs=1 nvrc.log=debug";

        GuestPlan plan = GuestPlan.of(cmdline, root);

        var preview = BootPlan.preview(cmdline, NvrcPaths.under(root)).entries();
        assertThat(plan.toJson()).isEqualTo(PlanJson.toJson(preview));
        assertThat(plan.steps()).extracting(PlannedStep::name).isEqualTo(preview.stream().map(e -> e.step()).toList());
        assertThat(plan.steps()).extracting(PlannedStep::argv).isEqualTo(preview.stream().map(e -> e.argv()).toList());
        assertThat(plan.mode().nvlink()).isEqualTo(NvLink.NVL4);
        assertThat(plan).isEqualTo(GuestPlan.of(cmdline, root)).hasSameHashCodeAs(GuestPlan.of(cmdline, root))
                .isNotEqualTo(GuestPlan.of("", root));
    }

    /**
     * The readiness rule of the library ({@link Settings#readinessTimeout}) is what the boot's daemon
     * steps wait, daemon by daemon: a daemon that gains or changes a wait in its step but not in the
     * rule fails here.
     */
    @ParameterizedTest
    @CsvSource({
        "gpu, nvrc.dcgm=on",
        "gpu, nvrc.dcgm=on nvrc.timeout=42",
        "gpu, nvrc.dcgm=on nvrc.timeout.nvidia-persistenced=7",
        "gpu-nvswitch, nvrc.timeout=42",
        "nvl4, ''",
        "nvl4, nvrc.timeout.nv-fabricmanager=9",
        "nvl5, ''",
        "nvl5, nvrc.timeout=42 nvrc.nvlsm.settle=5",
    })
    void everyDaemonStepWaitsWhatTheLibrarySays(String machine, String cmdline) throws Exception {
        SysfsFixture tree = SysfsFixture.at(root);
        switch (machine) {
            case "gpu" -> tree.gpus(1);
            case "gpu-nvswitch" -> tree.gpus(8).nvSwitches(4);
            case "nvl4" -> tree.nvSwitches(4);
            case "nvl5" -> tree.swMngNics(4);
            default -> throw new IllegalArgumentException(machine);
        }
        tree.text("usr/share/nvidia/nvswitch/fabricmanager.cfg", "FABRIC_MODE=0\n").dir("run");

        GuestPlan plan = GuestPlan.of(cmdline, root);

        List<PlannedStep> daemons = plan.steps().stream().filter(PlannedStep::isDaemon).toList();
        assertThat(daemons).isNotEmpty();
        for (PlannedStep daemon : daemons) {
            Daemon type = java.util.Arrays.stream(Daemon.values()).filter(d -> d.daemonName().equals(daemon.name()))
                    .findFirst().orElseThrow(() -> new AssertionError("no Daemon for the plan's " + daemon.name()));
            Optional<Duration> waited = daemon.awaits().isPresent() ? daemon.timeout() : Optional.empty();
            assertThat(plan.settings().readinessTimeout(type)).as(daemon.name()).isEqualTo(waited);
        }
    }

    @Test
    void aRootThatIsNotATreeIsRefusedAsEveryApiCallRefusesIt() throws Exception {
        Path typo = root.resolve("typo");
        Path noSys = Files.createDirectories(root.resolve("empty"));
        for (Path bad : List.of(typo, noSys)) {
            String expected = catchMessage(() -> PciTopology.read(bad));
            assertThat(expected).startsWith("under " + bad + ": ");
            assertThatThrownBy(() -> GuestPlan.of("", bad)).isInstanceOf(NvrcException.class).hasMessage(expected);
        }
    }

    @Test
    void anInvalidCommandLineListsEveryProblem() throws Exception {
        SysfsFixture.at(root).gpus(1);
        assertThatThrownBy(() -> GuestPlan.of("nvrc.smi.lcg=1 nvrc.dcgm=maybe", root)).isInstanceOf(NvrcException.class)
                .satisfies(e -> assertThat(((NvrcException) e).problems()).hasSize(2));
    }

    @Test
    void aTreeTheBootWouldStopOnNamesTheRootAsGiven() throws Exception {
        SysfsFixture.at(root).gpus(3).nvSwitches(1).swMngNics(1);
        assertThatThrownBy(() -> GuestPlan.of("", root)).isInstanceOf(NvrcException.class)
                .hasMessageStartingWith("under " + root + ": both NVSwitches");
    }

    @Test
    void theCdiDevicesAreTheSpecTheCdiStepWrites() throws Exception {
        MinimalDriver.twoGpus(root);

        GuestPlan plan = GuestPlan.of("", root);

        assertThat(plan.cdiDevices()).hasValue(List.of("0", MinimalDriver.UUID_0, "1", MinimalDriver.UUID_1, "all"));
        assertThat(GuestPlan.of("nvrc.cdi=ctk", root).cdiDevices()).isEmpty(); // nvidia-ctk writes that spec
        assertThat(GuestPlan.of("nvrc.mode=cpu", root).cdiDevices()).isEmpty();
        Files.delete(root.resolve("dev/nvidia1"));
        assertThatThrownBy(() -> GuestPlan.of("", root)).isInstanceOf(NvrcException.class)
                .hasMessageStartingWith("under " + root + ": cdi: device node /dev/nvidia1 of GPU 0000:c1:00.0");
    }

    @Test
    void aStepRefusesDetailsAPlanCannotHold() {
        assertThatThrownBy(() -> new PlannedStep(" ", List.of(), Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PlannedStep("x", List.of(), Map.of("m", Map.of())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("m: a detail is a string");
        assertThatThrownBy(() -> new PlannedStep("x", List.of(), Map.of("l", List.of(1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("l: a list detail holds strings, found 1");
        PlannedStep step = new PlannedStep("x", List.of("/bin/x"), Map.of("settle_ms", 1500, "await", "still running"));
        assertThat(step.timeout()).hasValue(Duration.ofMillis(1500));
        assertThat(step.runsProgram()).isTrue();
        assertThat(step.isDaemon()).isFalse();
    }

    private interface Call {
        void run() throws Exception;
    }

    private static String catchMessage(Call call) {
        try {
            call.run();
        } catch (Exception e) {
            return e.getMessage();
        }
        throw new AssertionError("expected a failure");
    }

    /** The least a tree needs for the CDI generator: the driver's view of two GPUs, their nodes, libcuda. */
    static final class MinimalDriver {
        static final String UUID_0 = "GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c";
        static final String UUID_1 = "GPU-9e5f3a10-7b2c-4d8e-a1f6-0c3b5d7e9f21";
        static final String VERSION = "570.172.08";

        static void twoGpus(Path root) throws IOException, InterruptedException {
            SysfsFixture tree = SysfsFixture.at(root).gpu("0000:41:00.0").gpu("0000:c1:00.0");
            tree.text("proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  " + VERSION
                    + "  Sat Jun 21 09:58:23 UTC 2025\n");
            tree.text("proc/driver/nvidia/gpus/0000:41:00.0/information", information("0000:41:00.0", UUID_0, 0));
            tree.text("proc/driver/nvidia/gpus/0000:c1:00.0/information", information("0000:c1:00.0", UUID_1, 1));
            tree.text("usr/lib/" + dev.nvrc.core.Arch.current().id() + "-linux-gnu/libcuda.so." + VERSION, "elf");
            Files.createDirectories(root.resolve("dev"));
            // 0:0 character devices: any user may make them, and the generator only checks they are nodes.
            Process mknod = new ProcessBuilder("sh", "-c", "for n in nvidia0 nvidia1 nvidiactl; do mknod \"$0/$n\" c 0 0"
                    + " && chmod 666 \"$0/$n\" || exit 1; done", root.resolve("dev").toString()).inheritIO().start();
            assertThat(mknod.waitFor()).isZero();
        }

        private static String information(String bdf, String uuid, int minor) {
            return "Model: \t\t NVIDIA H100 80GB HBM3\nGPU UUID: \t " + uuid + "\nBus Location: \t " + bdf
                    + "\nDevice Minor: \t " + minor + "\n";
        }
    }
}
