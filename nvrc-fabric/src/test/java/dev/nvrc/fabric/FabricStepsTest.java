package dev.nvrc.fabric;

import dev.nvrc.core.GuestLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.DaemonStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.testkit.FakeDaemon;
import dev.nvrc.testkit.RunningWalk;
import dev.nvrc.testkit.SysfsFixture;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FabricStepsTest {
    static final ModeDecision NVL4_SERVICE_VM = new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL4, 1, RailPolicy.GREEDY, true);
    static final ModeDecision NVL5_SERVICE_VM = new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NVL5, 1, RailPolicy.SYMMETRIC, true);
    static final ModeDecision GPU_NVL4 = new ModeDecision(Mode.GPU, NvLink.NVL4, 0, RailPolicy.GREEDY, true);
    static final ModeDecision GPU_NVL5 = new ModeDecision(Mode.GPU, NvLink.NVL5, 0, RailPolicy.SYMMETRIC, true);

    /** The four fabric flows, with the golden files named after them. */
    enum Flow {
        NVL4_SERVICEVM("nvl4-servicevm", NVL4_SERVICE_VM),
        NVL5_SERVICEVM("nvl5-servicevm", NVL5_SERVICE_VM),
        GPU_NVL4("gpu-nvl4", FabricStepsTest.GPU_NVL4),
        GPU_NVL5("gpu-nvl5", FabricStepsTest.GPU_NVL5);

        final String golden;
        final ModeDecision decision;

        Flow(String golden, ModeDecision decision) {
            this.golden = golden;
            this.decision = decision;
        }
    }

    @TempDir
    Path root;

    static String resource(String name) {
        try (InputStream in = FabricStepsTest.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> names(List<Step> steps) {
        return steps.stream().map(Step::name).toList();
    }

    /** The plan's steps of a machine whose InfiniBand devices do not exist yet (a booting VM): the GUID a placeholder. */
    private List<Step> steps(ModeDecision decision, BootConfig config) throws BootFailure {
        return TestConfigs.listed(FabricSteps.forDecision(decision, config, GuestLayout.baseImage()), noDevicesYet());
    }

    private NvrcPaths noDevicesYet() {
        return NvrcPaths.under(root.resolve("not-booted"));
    }

    /** The plan of {@code steps} as text: name, argv and details, one fact per line. */
    static String plan(List<Step> steps) {
        StringBuilder sb = new StringBuilder();
        for (Step step : steps) {
            PlanEntry e = step.describe();
            sb.append(e.step()).append('\n');
            if (!e.argv().isEmpty()) {
                sb.append("  argv: ").append(String.join(" ", e.argv())).append('\n');
            }
            e.details().forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v).append('\n'));
        }
        return sb.toString();
    }

    @Test
    void fabricManagersReadinessFollowsTheNvlinkGeneration() throws BootFailure {
        BootConfig c = BootConfig.defaults();
        ModeDecision gpuNvl3 = new ModeDecision(Mode.GPU, NvLink.NVL3, 0, RailPolicy.GREEDY, true);
        ModeDecision serviceVmNvl3 = new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL3, 1, RailPolicy.GREEDY, true);
        for (ModeDecision d : List.of(gpuNvl3, serviceVmNvl3)) {
            DaemonStep fm = (DaemonStep) steps(d, c).stream().filter(s -> s.name().equals(FabricSteps.FABRIC_MANAGER))
                    .findFirst().orElseThrow();
            assertThat(fm.marker()).hasValue("Successfully configured all the available");
            assertThat(fm.describe().details().get("readiness").toString()).startsWith("NVLink 3 (A100) has no in-band")
                    .contains("unverified on A100 hardware");
        }
        for (ModeDecision d : List.of(GPU_NVL4, NVL4_SERVICE_VM, GPU_NVL5, NVL5_SERVICE_VM)) {
            DaemonStep fm = (DaemonStep) steps(d, c).stream().filter(s -> s.name().equals(FabricSteps.FABRIC_MANAGER))
                    .findFirst().orElseThrow();
            assertThat(fm.marker()).as(d.toString()).hasValue(FabricSteps.FM_MARKER);
            assertThat(fm.describe().details()).containsEntry("tracked", "the process started, which stays in the"
                    + " foreground: any end before the handoff fails the boot");
            assertThat(fm.describe().details().get("readiness").toString().contains("unverified"))
                    .as(d.toString()).isEqualTo(d.mode().isServiceVm());
        }
    }

    @Test
    void anNvlink3FabricOfAnA100BoardRunsTheFabricManagerFlowOfNvlink4WithItsOwnReadiness() throws Exception {
        BootConfig c = BootConfig.defaults();
        ModeDecision gpuNvl3 = new ModeDecision(Mode.GPU, NvLink.NVL3, 0, RailPolicy.GREEDY, true);
        ModeDecision serviceVmNvl3 = new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL3, 1, RailPolicy.GREEDY, true);
        // The same steps and programs; only what counts as ready differs (no in-band probing on NVLink 3).
        java.util.function.Function<String, String> withoutReadiness = plan -> plan.lines()
                .filter(l -> !l.startsWith("  await:") && !l.startsWith("  readiness:"))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(withoutReadiness.apply(plan(steps(gpuNvl3, c)))).isEqualTo(withoutReadiness.apply(plan(steps(GPU_NVL4, c))));
        assertThat(withoutReadiness.apply(plan(steps(serviceVmNvl3, c))))
                .isEqualTo(withoutReadiness.apply(plan(steps(NVL4_SERVICE_VM, c))));
        assertThat(plan(steps(gpuNvl3, c))).contains("  await: Successfully configured all the available\n");
        assertThatThrownBy(() -> steps(new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NVL3, 1, RailPolicy.GREEDY, false), c))
                .isInstanceOf(BootFailure.class).hasMessage("mode nvswitch-nvl5 cannot bring up an NVL3 fabric");
    }

    @Test
    void thePlanOfATreeWithInfinibandDevicesShowsTheGuidOfTheManagementBridge() throws Exception {
        SysfsFixture sysfs = SysfsFixture.at(root);
        InfinibandFixture ib = InfinibandFixture.in(sysfs);
        ib.computeNic("mlx5_0", InfinibandFixture.SM_ALLOWED, InfinibandFixture.gid("e09d:7303:003f:3bf8"))
                .computeNic("mlx5_1", InfinibandFixture.SM_ALLOWED, InfinibandFixture.gid("e09d:7303:003f:3bf9"))
                .device("mlx5_2", InfinibandFixture.SM_ALLOWED, InfinibandFixture.gid("0002:c903:0029:7de1"));

        String plan = plan(TestConfigs.listed(FabricSteps.forDecision(GPU_NVL5, BootConfig.defaults(),
                GuestLayout.baseImage()), sysfs.paths()));

        assertThat(plan).contains("  value: 0x0002c90300297de1 (mlx5_2 port 1)\n")
                .contains("/sbin/nvlsm -F /usr/share/nvidia/nvlsm/nvlsm.conf -g 0x0002c90300297de1 -f stdout")
                .contains("/bin/nv-fabricmanager -c /run/fabricmanager.cfg -g 0x0002c90300297de1")
                .doesNotContain("<port GUID from");
    }

    @Test
    void thePlanSaysWhyNoPortQualifiesAndWithoutInfinibandDevicesShowsThePlaceholder() throws Exception {
        SysfsFixture sysfs = SysfsFixture.at(root);
        FabricSteps fabric = FabricSteps.forDecision(GPU_NVL5, BootConfig.defaults(), GuestLayout.baseImage());
        assertThat(plan(TestConfigs.listed(fabric, sysfs.paths())))
                .contains("  value: <port GUID from /sys/class/infiniband>\n")
                .contains("-g <port GUID from /sys/class/infiniband>");
        InfinibandFixture.in(sysfs).computeNic("mlx5_0", InfinibandFixture.SM_ALLOWED,
                InfinibandFixture.gid("e09d:7303:003f:3bf8"));
        assertThat(plan(TestConfigs.listed(fabric, sysfs.paths())))
                .contains("  value: <none: no InfiniBand port in /sys/class/infiniband can host NVLSM: mlx5_0");
    }

    @Test
    void stepNamesPerFlowAreStable() throws Exception {
        BootConfig c = BootConfig.defaults();
        assertThat(names(steps(NVL4_SERVICE_VM, c)))
                .containsExactly("modprobe nvidia", "fabricmanager.cfg", "nv-fabricmanager", "health");
        assertThat(names(steps(GPU_NVL4, c))).containsExactly("fabricmanager.cfg", "nv-fabricmanager", "health");
        List<String> nvl5 = List.of("modprobe ib_umad", "modprobe mlx5_ib", "infiniband port guid", "nvlsm", "health",
                "fabricmanager.cfg", "nv-fabricmanager", "health");
        assertThat(names(steps(NVL5_SERVICE_VM, c))).isEqualTo(nvl5);
        assertThat(names(steps(GPU_NVL5, c))).isEqualTo(nvl5);
        assertThat(List.of(FabricSteps.MODPROBE_NVIDIA, FabricSteps.MODPROBE_IB_UMAD, FabricSteps.MODPROBE_MLX5_IB,
                FabricSteps.PORT_GUID, FabricSteps.NVLSM, FabricSteps.FABRIC_MANAGER_CONFIG, FabricSteps.FABRIC_MANAGER,
                FabricSteps.HEALTH)).containsExactly("modprobe nvidia", "modprobe ib_umad", "modprobe mlx5_ib",
                "infiniband port guid", "nvlsm", "fabricmanager.cfg", "nv-fabricmanager", "health");
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void eachFlowRunsTheGoldenArgvSequence(Flow flow) throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);

        FabricMachine.Outcome outcome = vm.run(TestConfigs.fast(flow.decision, GuestLayout.baseImage()), BootConfig.defaults());

        assertThat(outcome.failure()).isNull();
        assertThat(vm.argvLines()).isEqualTo(resource("argv/" + flow.golden + ".txt"));
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void eachFlowHasTheGoldenPlan(Flow flow) throws Exception {
        String actual = plan(steps(flow.decision, BootConfig.defaults()));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(Path.of("src/test/resources/plan/" + flow.golden + ".txt"), actual);
        }
        assertThat(actual).isEqualTo(resource("plan/" + flow.golden + ".txt"));
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void eachFlowWritesFabricModeAndRailPolicyOfTheDecision(Flow flow) throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);

        vm.run(TestConfigs.fast(flow.decision, GuestLayout.baseImage()), BootConfig.defaults());

        byte[] written = Files.readAllBytes(root.resolve("run/fabricmanager.cfg"));
        assertThat(FabricManagerConfig.valuesOf(written, "FABRIC_MODE"))
                .containsExactly(Integer.toString(flow.decision.fabricMode()));
        assertThat(FabricManagerConfig.valuesOf(written, "PARTITION_RAIL_POLICY"))
                .containsExactly(flow.decision.railPolicy().canonical());
        assertThat(FabricManagerConfig.valuesOf(written, "FABRIC_MODE_RESTART")).containsExactly("0");
    }

    @Test
    void tracksTheDaemonsInStartOrderAndWaitsForFabricManagerWithItsTimeout() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        BootConfig config = TestConfigs.parse("nvrc.timeout.nv-fabricmanager=42");

        FabricMachine.Outcome outcome = vm.run(FabricSteps.forDecision(NVL5_SERVICE_VM, config, GuestLayout.baseImage(),
                Duration.ZERO), config);

        assertThat(outcome.succeeded()).isTrue();
        assertThat(vm.fakes.processes.daemons()).extracting(FakeDaemon::name).containsExactly("nvlsm", "nv-fabricmanager");
        assertThat(vm.fakes.syslog.awaitedTimeouts()).containsExactly(Duration.ofSeconds(42));
    }

    @Test
    void fabricManagerWaitsTheGeneralTimeoutByDefault() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);

        assertThat(vm.run(FabricSteps.forDecision(NVL4_SERVICE_VM, BootConfig.defaults(), GuestLayout.baseImage()),
                BootConfig.defaults()).succeeded()).isTrue();
        assertThat(vm.fakes.syslog.awaitedTimeouts()).containsExactly(BootConfig.DEFAULT_TIMEOUT);
    }

    @Test
    void gpuExtensionRemapsProgramsAndConfigsButNotModprobeOrTheInfinibandModules() throws Exception {
        FabricMachine nvl4 = FabricMachine.withGpuExtension(root.resolve("nvl4"));
        FabricMachine nvl5 = FabricMachine.withGpuExtension(root.resolve("nvl5"));

        FabricSteps nvl4Steps = TestConfigs.fast(NVL4_SERVICE_VM, GuestLayout.detect(nvl4.sysfs.paths()));
        FabricSteps nvl5Steps = TestConfigs.fast(NVL5_SERVICE_VM, GuestLayout.detect(nvl5.sysfs.paths()));

        assertThat(nvl4.run(nvl4Steps, BootConfig.defaults()).failure()).isNull();
        assertThat(nvl5.run(nvl5Steps, BootConfig.defaults()).failure()).isNull();
        assertThat(nvl4.argvLines()).isEqualTo(resource("argv/nvl4-servicevm-gpu-extension.txt"));
        assertThat(nvl5.argvLines()).isEqualTo(resource("argv/nvl5-servicevm-gpu-extension.txt"));
    }

    @Test
    void withoutTheExtensionDirectoryTheBaseImagePathsAreUsed() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);

        FabricSteps detected = TestConfigs.fast(NVL4_SERVICE_VM, GuestLayout.detect(vm.sysfs.paths()));

        assertThat(plan(TestConfigs.listed(detected, vm.sysfs.paths()))).isEqualTo(
                plan(TestConfigs.listed(TestConfigs.fast(NVL4_SERVICE_VM, GuestLayout.baseImage()), vm.sysfs.paths())));
    }

    @Test
    void fabricManagerReadinessTimeoutFailsItsStepAndKeepsItTracked() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.whenStarted(FabricSteps.FABRIC_MANAGER, d -> vm.fakes.syslog.log("FM starting up"));
        BootConfig config = TestConfigs.parse("nvrc.timeout.nv-fabricmanager=7");

        FabricMachine.Outcome outcome = vm.run(FabricSteps.forDecision(NVL4_SERVICE_VM, config, GuestLayout.baseImage()),
                config);

        assertThat(outcome.failedStep()).isEqualTo("nv-fabricmanager");
        assertThat(outcome.failure()).hasMessage("nv-fabricmanager (pid 100) did not log \"FM starting NvLink Inband\" within 7 s");
        assertThat(vm.fakes.syslog.awaitedTimeouts()).containsExactly(Duration.ofSeconds(7));
        assertThat(vm.fakes.processes.daemons()).extracting(FakeDaemon::name).containsExactly("nv-fabricmanager");
    }

    @Test
    void fabricManagerCrashFailsItsStepWithStatusAndLastLines() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.whenStarted(FabricSteps.FABRIC_MANAGER, d -> {
            d.print("fabric manager: NVSwitch 0000:80:00.0 training failed");
            d.exit(ExitStatus.exited(1));
        });

        FabricMachine.Outcome outcome = vm.run(TestConfigs.fast(GPU_NVL4, GuestLayout.baseImage()), BootConfig.defaults());

        assertThat(outcome.failedStep()).isEqualTo("nv-fabricmanager");
        assertThat(outcome.failure()).hasMessage("nv-fabricmanager (pid 100) ended before logging \"FM starting NvLink Inband\": exit code 1;"
                + " last lines: fabric manager: NVSwitch 0000:80:00.0 training failed");
    }

    @Test
    void fabricManagerKilledAfterItsMarkerFailsTheHealthCheck() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.whenStarted(FabricSteps.FABRIC_MANAGER, d -> {
            vm.fakes.syslog.log("FM starting NvLink Inband");
            d.exit(ExitStatus.killed(9));
        });

        FabricMachine.Outcome outcome = vm.run(TestConfigs.fast(NVL4_SERVICE_VM, GuestLayout.baseImage()), BootConfig.defaults());

        assertThat(outcome.failedStep()).isEqualTo("health");
        assertThat(outcome.failure()).hasMessage("nv-fabricmanager (pid 100) ended during the boot: killed by signal 9");
    }

    @Test
    void nvlsmCrashFailsItsStepAndFabricManagerNeverStarts() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.whenStarted(FabricSteps.NVLSM, d -> {
            d.print("nvlsm: cannot bind port 0x0002c90300297de1");
            d.exit(ExitStatus.exited(2));
        });

        FabricMachine.Outcome outcome = vm.run(TestConfigs.fast(NVL5_SERVICE_VM, GuestLayout.baseImage()),
                BootConfig.defaults());

        assertThat(outcome.failedStep()).isEqualTo("nvlsm");
        assertThat(outcome.failure()).hasMessage("nvlsm (pid 100) ended during the boot: exit code 2;"
                + " last lines: nvlsm: cannot bind port 0x0002c90300297de1");
        assertThat(vm.argvLines()).doesNotContain("nv-fabricmanager");
        assertThat(root.resolve("run/fabricmanager.cfg")).doesNotExist();
    }

    @Test
    void nvlsmDeathWhileFabricManagerStartsFailsTheLastHealthCheck() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.whenStarted(FabricSteps.FABRIC_MANAGER, fm -> {
            vm.fakes.processes.daemons().get(0).exit(ExitStatus.killed(11));
            vm.fakes.syslog.log("FM starting NvLink Inband");
        });

        FabricMachine.Outcome outcome = vm.run(TestConfigs.fast(GPU_NVL5, GuestLayout.baseImage()), BootConfig.defaults());

        assertThat(outcome.failedStep()).isEqualTo("health");
        assertThat(outcome.failure()).hasMessage("nvlsm (pid 100) ended during the boot: killed by signal 11");
    }

    @Test
    void failedModuleLoadStopsTheFlow() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.failing("modprobe", ExitStatus.exited(1), List.of("modprobe: FATAL: Module ib_umad not found"));

        FabricMachine.Outcome outcome = vm.run(TestConfigs.fast(NVL5_SERVICE_VM, GuestLayout.baseImage()), BootConfig.defaults());

        assertThat(outcome.failedStep()).isEqualTo("modprobe ib_umad");
        assertThat(outcome.failure()).hasMessage("modprobe failed: exit code 1 (/sbin/modprobe ib_umad);"
                + " last output: modprobe: FATAL: Module ib_umad not found");
        assertThat(vm.fakes.processes.daemons()).isEmpty();
    }

    @Test
    void noUsablePortStopsTheFlowBeforeNvlsm() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        Files.writeString(root.resolve("sys/class/infiniband/mlx5_10/ports/1/gids/0"), "fe80::2:c903:29:7de1\n");

        FabricMachine.Outcome outcome = vm.run(TestConfigs.fast(NVL5_SERVICE_VM, GuestLayout.baseImage()), BootConfig.defaults());

        assertThat(outcome.failedStep()).isEqualTo("infiniband port guid");
        assertThat(outcome.failure()).hasMessageStartingWith("/sys/class/infiniband/mlx5_10/ports/1/gids/0: expected a GID");
        assertThat(vm.fakes.processes.daemons()).isEmpty();
    }

    @Test
    void describingTheStepsTouchesNothing() throws Exception {
        for (Flow flow : Flow.values()) {
            plan(TestConfigs.listed(FabricSteps.forDecision(flow.decision, BootConfig.defaults(),
                    GuestLayout.detect(NvrcPaths.under(root))), NvrcPaths.under(root)));
        }
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void nvlsmSettleTimeComesFromItsTimeoutKey() throws Exception {
        BootConfig config = TestConfigs.parse("nvrc.nvlsm.settle=3");

        PlanEntry defaults = steps(NVL5_SERVICE_VM, BootConfig.defaults()).get(3).describe();
        PlanEntry given = steps(NVL5_SERVICE_VM, config).get(3).describe();

        assertThat(defaults.details()).containsEntry("settle_ms", 1000L);
        assertThat(given.details()).containsEntry("settle_ms", 3000L);
    }

    @Test
    void nvl5WithTheGreedyRailPolicyCannotEvenBeDecided() {
        // The rule lives in ModeDetector.railPolicyAllowed; ModeDetector refuses it with a message for
        // the user, and a decision that breaks it cannot be built to reach these steps.
        assertThatThrownBy(() -> new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NVL5, 1, RailPolicy.GREEDY, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("NVLink 5 cannot use the greedy rail policy");
    }

    @Test
    void nvl4WithTheSymmetricRailPolicyIsHonoured() throws Exception {
        ModeDecision symmetric = new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL4, 1, RailPolicy.SYMMETRIC, false);

        assertThat(steps(symmetric, BootConfig.defaults()).get(1).describe().details().get("set"))
                .isEqualTo("FABRIC_MODE=1 PARTITION_RAIL_POLICY=symmetric DAEMONIZE=0 LOG_USE_SYSLOG=1"
                        + " STATE_FILE_NAME=/run/fabricmanager.state");
    }

    @Test
    void fabricModeOutsideZeroAndOneCannotEvenBeDecided() {
        // As the rail policy above: the decision refuses it, so no FABRIC_MODE=2 reaches these steps.
        assertThatThrownBy(() -> new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL4, 2, RailPolicy.GREEDY, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("fabricMode is 0 or 1, not 2");
    }

    @Test
    void contradictoryDecisionsAreRefused() {
        assertThatThrownBy(() -> steps(new ModeDecision(Mode.NVSWITCH_NVL4, NvLink.NVL5, 1, RailPolicy.SYMMETRIC, false),
                BootConfig.defaults())).isInstanceOf(BootFailure.class).hasMessage("mode nvswitch-nvl4 cannot bring up an NVL5 fabric");
        assertThatThrownBy(() -> steps(new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NVL4, 1, RailPolicy.GREEDY, false),
                BootConfig.defaults())).isInstanceOf(BootFailure.class).hasMessage("mode nvswitch-nvl5 cannot bring up an NVL4 fabric");
        assertThatThrownBy(() -> steps(new ModeDecision(Mode.CPU, NvLink.NVL4, 0, RailPolicy.GREEDY, false),
                BootConfig.defaults())).isInstanceOf(BootFailure.class).hasMessage("mode cpu cannot bring up an NVL4 fabric");
        assertThatThrownBy(() -> steps(new ModeDecision(Mode.NVSWITCH_NVL5, NvLink.NONE, 1, RailPolicy.SYMMETRIC, false),
                BootConfig.defaults())).isInstanceOf(BootFailure.class)
                .hasMessage("mode nvswitch-nvl5 is an NVSwitch service VM, but no NVLink fabric was decided for it");
    }

    @Test
    void noFabricMeansNoSteps() throws Exception {
        assertThat(steps(new ModeDecision(Mode.GPU, NvLink.NONE, 0, RailPolicy.GREEDY, true), BootConfig.defaults())).isEmpty();
        assertThat(steps(new ModeDecision(Mode.CPU, NvLink.NONE, 0, RailPolicy.GREEDY, true), BootConfig.defaults())).isEmpty();
    }

    @Test
    void theListedStepsCannotBeChangedBehindTheWalk() throws Exception {
        List<Step> steps = steps(NVL4_SERVICE_VM, BootConfig.defaults());

        assertThatThrownBy(() -> steps.add(steps.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theBootDecidesTheGuidOnlyFromDevicesThatExistAndBuildsNvlsmAndFabricManagerFromIt() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        RunningWalk walk = new RunningWalk(vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths()));
        PortGuidDecision decision = new PortGuidDecision();

        // At boot the devices must exist: a tree without them fails naming the directory, never a placeholder.
        assertThatThrownBy(() -> decision.decide(vm.fakes.context(BootConfig.defaults(), noDevicesYet())))
                .isInstanceOf(BootFailure.class).hasMessageContaining("/sys/class/infiniband");
        assertThat(decision.decide(vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths())))
                .isEqualTo(new ManagedPort(FabricMachine.GUID, FabricMachine.GUID + " (mlx5_10 port 1)"));

        TestConfigs.fast(NVL5_SERVICE_VM, GuestLayout.baseImage()).walk(walk);

        assertThat(walk.taken()).containsSubsequence("modprobe mlx5_ib", "infiniband port guid", "nvlsm", "nv-fabricmanager");
        assertThat(vm.argvLines()).contains("START /sbin/nvlsm -F /usr/share/nvidia/nvlsm/nvlsm.conf -g "
                + FabricMachine.GUID + " -f stdout").doesNotContain("<port GUID");
    }
}
