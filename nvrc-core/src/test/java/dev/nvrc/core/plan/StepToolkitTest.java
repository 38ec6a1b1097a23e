package dev.nvrc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.InitControl;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.Mounts;
import dev.nvrc.core.port.Network;
import dev.nvrc.core.port.PortFailures;
import dev.nvrc.core.port.Ports;
import dev.nvrc.core.port.ProcessRunner;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.port.SyslogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The step toolkit against minimal ports (core cannot use nvrc-testkit, which depends on it):
 * what each step runs, what the plan shows, and each way a daemon step ends.
 */
class StepToolkitTest {
    @TempDir
    Path root;

    final List<String> events = new CopyOnWriteArrayList<>();
    final TrackedDaemonsTest.TestDaemon daemon = new TrackedDaemonsTest.TestDaemon();
    final TrackedDaemonsTest.TestDaemon forked = new TrackedDaemonsTest.TestDaemon();
    Consumer<TrackedDaemonsTest.TestDaemon> onStart = d -> { };
    ExitStatus runStatus = ExitStatus.exited(0);
    boolean markerLogged;

    final ProcessRunner processes = new ProcessRunner() {
        @Override
        public void run(Command command, Duration timeout) throws BootFailure {
            events.add("run " + command.name() + ": " + command.commandLine() + " within " + PortFailures.duration(timeout));
            if (!runStatus.success()) {
                throw new BootFailure(PortFailures.commandFailed(command, runStatus, List.of()));
            }
        }

        @Override
        public Daemon start(Command command) {
            events.add("start " + command.commandLine());
            onStart.accept(daemon);
            return daemon;
        }

        @Override
        public Daemon follow(Daemon launcher, long pid) {
            events.add("follow " + launcher.name() + " pid " + pid);
            forked.pid = pid;
            return forked;
        }
    };

    final SyslogSink syslog = new SyslogSink() {
        @Override
        public void bind() {
            throw new AssertionError("no step of the toolkit binds /dev/log");
        }

        @Override
        public int releaseToDrainer() {
            throw new AssertionError("no step of the toolkit hands /dev/log on");
        }

        @Override
        public MarkerWatch watch(String marker) {
            events.add("watch " + marker);
            return new MarkerWatch() {
                @Override
                public String marker() {
                    return marker;
                }

                @Override
                public void await(Daemon d, Duration timeout) throws BootFailure {
                    if (!markerLogged) {
                        throw new BootFailure(PortFailures.markerTimeout(d, marker, timeout));
                    }
                }

                @Override
                public void close() {
                    events.add("close " + marker);
                }
            };
        }

        @Override
        public List<String> recentMessages(int max) {
            return List.of();
        }
    };

    BootContext context() {
        Mounts mounts = new Mounts() {
            @Override
            public boolean mount(MountRequest request) {
                throw new AssertionError();
            }

            @Override
            public void remountReadOnly(String target) {
                throw new AssertionError();
            }

            @Override
            public Set<String> filesystems() {
                return Set.of();
            }
        };
        Network network = () -> {
            throw new AssertionError();
        };
        Sysctl sysctl = new Sysctl() {
            @Override
            public void write(String key, String value) {
                throw new AssertionError();
            }

            @Override
            public String read(String key) {
                throw new AssertionError();
            }
        };
        InitControl init = new InitControl() {
            @Override
            public void setOpenFileLimit(long soft, long hard) {}

            @Override
            public void setOomScoreAdj(long pid, int adj) {}

            @Override
            public void execve(String path, List<String> argv, Map<String, String> env) {}

            @Override
            public void powerOff() {}
        };
        return new BootContext(BootConfig.defaults(), NvrcPaths.under(root), new Ports(mounts, network, sysctl, processes,
                syslog, init, (path, major, minor, mode) -> {
                    throw new AssertionError("no step of the toolkit makes device nodes");
                }), new TrackedDaemons());
    }

    @Test
    void aProgramStepRunsItsArgvWithItsTimeoutAndShowsItInThePlan() throws Exception {
        ProgramStep smi = new ProgramStep("nvidia-smi -pl", "nvidia-smi", List.of("/bin/nvidia-smi", "-pl", "300"),
                Duration.ofSeconds(180)).with("from", "test");
        smi.run(context());
        assertThat(events).containsExactly("run nvidia-smi: /bin/nvidia-smi -pl 300 within 180 s");
        PlanEntry entry = smi.describe();
        assertThat(entry.argv()).containsExactly("/bin/nvidia-smi", "-pl", "300");
        assertThat(entry.details()).containsExactly(Map.entry("runs", "foreground"), Map.entry("from", "test"),
                Map.entry("timeout_s", 180L));
        assertThat(smi.timeout()).hasSeconds(180);
    }

    @Test
    void aFailingProgramFailsTheStepInTheRunnersWords() {
        runStatus = ExitStatus.exited(1);
        assertThatThrownBy(() -> ModuleLoad.step("dummy", List.of(), GuestLayout.baseImage()).run(context()))
                .isInstanceOf(BootFailure.class).hasMessage("modprobe failed: exit code 1 (/sbin/modprobe dummy)");
    }

    @Test
    void moduleLoadsTakeTheExtensionsDirectoryForNvidiaModulesOnly() {
        GuestLayout ext = GuestLayout.gpuExtension();
        assertThat(ModuleLoad.step("nvidia", List.of("NVreg_NvLinkDisable=1"), ext).argv()).containsExactly(
                "/sbin/modprobe", "--dirname", "/run/kata-extensions/gpu", "nvidia", "NVreg_NvLinkDisable=1");
        assertThat(ModuleLoad.step("mlx5_ib", List.of(), ext).argv()).containsExactly("/sbin/modprobe", "mlx5_ib");
        assertThat(ModuleLoad.step("nvidia", List.of(), GuestLayout.baseImage()).name()).isEqualTo("modprobe nvidia");
        assertThat(ModuleLoad.step("nvidia", List.of(), ext).timeout()).isEqualTo(ModuleLoad.TIMEOUT);
    }

    @Test
    void aMarkerDaemonIsWatchedBeforeItStartsTrackedAndAwaited() throws Exception {
        markerLogged = true;
        List<String> prepared = new ArrayList<>();
        DaemonStep step = DaemonStep.named("nvidia-persistenced", List.of("/bin/nvidia-persistenced", "--verbose"))
                .prepare("mkdir", "/var/run/nvidia-persistenced", c -> prepared.add("mkdir"))
                .awaitMarker("Local RPC services initialized", Duration.ofSeconds(600)).build();
        BootContext context = context();
        assertThat(context.daemons().readySince("nvidia-persistenced")).isEmpty();
        step.run(context);
        assertThat(context.daemons().readySince("nvidia-persistenced")).isPresent();
        assertThat(prepared).containsExactly("mkdir");
        assertThat(events).containsExactly("watch Local RPC services initialized",
                "start /bin/nvidia-persistenced --verbose", "close Local RPC services initialized");
        assertThat(context.daemons().all()).containsExactly(daemon);
        assertThat(step.marker()).hasValue("Local RPC services initialized");
        assertThat(step.timeout()).hasValue(Duration.ofSeconds(600));
        assertThat(step.describe().details()).containsExactly(Map.entry("runs", "background"),
                Map.entry("tracked", "the process started, which stays in the foreground: any end before the handoff"
                        + " fails the boot"),
                Map.entry("mkdir", "/var/run/nvidia-persistenced"), Map.entry("await", "Local RPC services initialized"),
                Map.entry("timeout_s", 600L));
    }

    private DaemonStep forking() {
        return DaemonStep.named("nvidia-persistenced", List.of("/bin/nvidia-persistenced", "--verbose"))
                .awaitMarker("Local RPC services initialized", Duration.ofSeconds(5))
                .forks("/var/run/nvidia-persistenced/nvidia-persistenced.pid").build();
    }

    private void pidFile(String content) throws Exception {
        Path file = root.resolve("var/run/nvidia-persistenced/nvidia-persistenced.pid");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void aForkingDaemonIsFollowedByItsPidFileOnceItsLauncherExitedZero() throws Exception {
        markerLogged = true;
        pidFile("812\n");
        onStart = d -> d.die(ExitStatus.exited(0));
        DaemonStep step = forking();
        BootContext context = context();
        step.run(context);
        assertThat(events).containsExactly("watch Local RPC services initialized",
                "start /bin/nvidia-persistenced --verbose", "close Local RPC services initialized",
                "follow nvidia-persistenced pid 812");
        assertThat(context.daemons().all()).containsExactly(daemon, forked);
        assertThat(context.daemons().serving()).containsExactly(forked);
        assertThat(step.pidFile()).hasValue("/var/run/nvidia-persistenced/nvidia-persistenced.pid");
        assertThat(step.describe().details()).containsEntry("tracked", "the daemon it forks, by its pid file"
                + " /var/run/nvidia-persistenced/nvidia-persistenced.pid: the process started exits 0 once that daemon"
                + " is ready (non-zero fails the boot), the daemon's end fails the boot");
        // The launcher's exit 0 is expected; the forked daemon's end, even with 0, is a death.
        assertThatCode(context.daemons()::checkHealthy).doesNotThrowAnyException();
        forked.die(ExitStatus.exited(0));
        assertThatThrownBy(context.daemons()::checkHealthy).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 812) ended during the boot: exit code 0");
    }

    @Test
    void aLauncherThatFailsAfterTheMarkerFailsTheStepAndNothingIsFollowed() throws Exception {
        markerLogged = true;
        pidFile("812\n");
        onStart = d -> d.die(ExitStatus.exited(1));
        assertThatThrownBy(() -> forking().run(context())).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 42) ended during the boot: exit code 1");
        assertThat(events).noneMatch(e -> e.startsWith("follow"));
    }

    @Test
    void aLauncherThatNeverExitsAfterTheMarkerFailsAfterTheTimeout() {
        markerLogged = true;
        DaemonStep step = DaemonStep.named("nvidia-persistenced", List.of("/bin/nvidia-persistenced"))
                .awaitMarker("Local RPC services initialized", Duration.ofMillis(50))
                .forks("/var/run/nvidia-persistenced/nvidia-persistenced.pid").build();
        assertThatThrownBy(() -> step.run(context())).isInstanceOf(BootFailure.class)
                .hasMessage("nvidia-persistenced (pid 42) logged \"Local RPC services initialized\" but did not exit"
                        + " within 50 ms (it exits once the daemon it forked is ready)");
    }

    @Test
    void aMissingOrMalformedPidFileFailsNamingTheFile() throws Exception {
        markerLogged = true;
        onStart = d -> d.die(ExitStatus.exited(0));
        assertThatThrownBy(() -> forking().run(context())).isInstanceOf(BootFailure.class)
                .hasMessage("nvidia-persistenced said it is ready, but its pid file"
                        + " /var/run/nvidia-persistenced/nvidia-persistenced.pid does not exist: cannot follow the daemon"
                        + " it forked");
        for (String bad : List.of("", "0\n", "-3\n", "812 \n", "abc", "812\n813\n", "99999999999\n")) {
            pidFile(bad);
            assertThatThrownBy(() -> forking().run(context())).as(bad).isInstanceOf(BootFailure.class)
                    .hasMessageStartingWith("nvidia-persistenced's pid file"
                            + " /var/run/nvidia-persistenced/nvidia-persistenced.pid: expected a process id such as 812,"
                            + " found '");
        }
        assertThat(events).noneMatch(e -> e.startsWith("follow"));
    }

    @Test
    void aForkingDaemonNeedsAMarker() {
        assertThatThrownBy(() -> DaemonStep.named("x", List.of("/x")).forks("/run/x.pid").build())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMarkerThatNeverComesFailsNamingTheDaemonAndClosesTheWatch() {
        DaemonStep step = DaemonStep.named("nv-fabricmanager", List.of("/bin/nv-fabricmanager"))
                .awaitMarker("FM starting NvLink Inband", Duration.ofSeconds(7)).build();
        BootContext context = context();
        assertThatThrownBy(() -> step.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 42) did not log \"FM starting NvLink Inband\" within 7 s");
        assertThat(context.daemons().readySince("nv-fabricmanager")).isEmpty();
        assertThat(events).endsWith("close FM starting NvLink Inband");
    }

    @Test
    void aDaemonWithoutReadinessIsStartedAndTrackedOnly() throws Exception {
        DaemonStep step = DaemonStep.named("nv-hostengine", List.of("/bin/nv-hostengine")).build();
        BootContext context = context();
        step.run(context);
        assertThat(context.daemons().readySince("nv-hostengine")).as("nothing was awaited").isEmpty();
        assertThat(events).containsExactly("start /bin/nv-hostengine");
        assertThat(context.daemons().all()).hasSize(1);
        assertThat(step.marker()).isEmpty();
        assertThat(step.describe().details()).containsExactly(Map.entry("runs", "background"),
                Map.entry("tracked", "the process started, which stays in the foreground: any end before the handoff"
                        + " fails the boot"));
        DaemonStep noted = DaemonStep.named("dcgm-exporter", List.of("/bin/dcgm-exporter")).note("await", "nothing").build();
        assertThat(noted.describe().details()).containsEntry("await", "nothing");
    }

    @Test
    void aSettlingDaemonThatStaysUpIsReadyAndOneThatEndsFailsWhateverItsStatus() throws Exception {
        DaemonStep settle = DaemonStep.named("nvlsm", List.of("/sbin/nvlsm", "-g", "0x1"))
                .settle(Duration.ofMillis(10)).build();
        BootContext settled = context();
        settle.run(settled);
        assertThat(settled.daemons().readySince("nvlsm")).isPresent();
        assertThat(events).containsExactly("start /sbin/nvlsm -g 0x1");
        assertThat(settle.describe().argv()).containsExactly("/sbin/nvlsm", "-g", "0x1");
        assertThat(settle.describe().details()).containsEntry("settle_ms", 10L);

        onStart = d -> d.die(ExitStatus.exited(0));
        assertThatThrownBy(() -> settle.run(context())).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 42) ended during the boot: exit code 0");
    }

    @Test
    void aPreparationThatFailsStartsNothing() {
        DaemonStep needsConfig = DaemonStep.named("nvlsm", List.of("/sbin/nvlsm"))
                .prepare("requires", "/x", c -> {
                    throw new BootFailure("no config");
                }).build();
        assertThatThrownBy(() -> needsConfig.run(context())).isInstanceOf(BootFailure.class).hasMessage("no config");
        assertThat(events).isEmpty();
    }

    @Test
    void interruptionWhileSettlingFailsAndKeepsTheFlag() {
        DaemonStep settle = DaemonStep.named("nvlsm", List.of("/sbin/nvlsm")).settle(Duration.ofSeconds(60)).build();
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> settle.run(context())).isInstanceOf(BootFailure.class)
                    .hasMessage("interrupted while watching nvlsm start");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void theHealthStepFailsOnADeadDaemon() throws Exception {
        BootContext context = context();
        context.daemons().add(daemon);
        HealthStep health = new HealthStep();
        health.run(context);
        assertThat(health.name()).isEqualTo("health");
        assertThat(health.describe().details()).containsKey("check");
        daemon.die(ExitStatus.exited(1));
        assertThatThrownBy(() -> health.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 42) ended during the boot: exit code 1");
    }
}
