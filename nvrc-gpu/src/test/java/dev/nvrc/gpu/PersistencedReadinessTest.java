package dev.nvrc.gpu;

import dev.nvrc.core.GuestLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.testkit.FakePorts;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PersistencedReadinessTest {
    @TempDir
    Path root;

    private final FakePorts fakes = new FakePorts();

    private Step step(BootConfig config) throws BootFailure {
        SysfsFixture machine = SysfsFixture.at(root).gpus(2);
        return new GpuSteps(config, new dev.nvrc.core.topology.TopologyReader(machine.paths()).read(),
                GuestLayout.detect(machine.paths())).persistenced().get(0);
    }

    private BootContext context(BootConfig config) {
        return fakes.context(config, SysfsFixture.at(root).paths());
    }

    @Test
    void theMarkerEndsTheWaitAndTheDaemonIsTracked() throws BootFailure {
        BootConfig config = TestConfig.defaults().timeout(GpuSteps.NVIDIA_PERSISTENCED, Duration.ofSeconds(42)).build();
        List<String> watchedAtStart = new ArrayList<>();
        fakes.processes.whenStarted(GpuSteps.NVIDIA_PERSISTENCED, d -> {
            watchedAtStart.addAll(fakes.syslog.openMarkers());
            assertThat(Files.isDirectory(root.resolve("var/run/nvidia-persistenced"))).isTrue();
            fakes.syslog.log("nvidia-persistenced: Local RPC services initialized");
            // The daemon wrote its pid file before it told its parent, which then exits 0.
            SysfsFixture.at(root).text("var/run/nvidia-persistenced/nvidia-persistenced.pid", "101\n");
            d.exit(ExitStatus.exited(0));
        });
        BootContext context = context(config);
        step(config).run(context);

        assertThat(watchedAtStart).as("watch opened before the daemon started")
                .containsExactly("Local RPC services initialized");
        assertThat(fakes.syslog.openMarkers()).as("watch closed after the wait").isEmpty();
        assertThat(fakes.syslog.awaitedTimeouts()).containsExactly(Duration.ofSeconds(42));
        assertThat(context.daemons().all()).extracting(Daemon::pid).as("the process started, then the daemon it forked")
                .containsExactly(100L, 101L);
        assertThat(context.daemons().serving()).extracting(Daemon::name).containsExactly("nvidia-persistenced");
    }

    @Test
    void theGlobalTimeoutAppliesWithoutAPerDaemonOne() throws BootFailure {
        BootConfig config = TestConfig.defaults().timeout(Duration.ofSeconds(77)).build();
        fakes.persistencedAsNvidias(root);
        step(config).run(context(config));
        assertThat(fakes.syslog.awaitedTimeouts()).containsExactly(Duration.ofSeconds(77));
        assertThat(step(config).describe().details()).containsEntry("timeout_s", 77L);
    }

    @Test
    void aMissingMarkerTimesOutNamingTheDaemonAndTheTimeout() throws BootFailure {
        BootConfig config = TestConfig.defaults().timeout(GpuSteps.NVIDIA_PERSISTENCED, Duration.ofSeconds(7)).build();
        fakes.processes.whenStarted(GpuSteps.NVIDIA_PERSISTENCED, d -> fakes.syslog.log("nvidia-persistenced: Started"));
        Step step = step(config);
        BootContext context = context(config);
        assertThatThrownBy(() -> step.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageContaining("nvidia-persistenced")
                .hasMessageContaining("Local RPC services initialized")
                .hasMessageContaining("7 s");
        assertThat(fakes.syslog.openMarkers()).isEmpty();
        assertThat(context.daemons().all()).as("a started daemon is tracked even when it is not ready").hasSize(1);
    }

    @Test
    void aCrashBeforeTheMarkerFailsAtOnceWithStatusAndLastLines() throws BootFailure {
        BootConfig config = TestConfig.defaults().build();
        fakes.processes.whenStarted(GpuSteps.NVIDIA_PERSISTENCED, d -> {
            d.print("nvidia-persistenced: Verbose syslog connection opened");
            d.print("nvidia-persistenced: Failed to open /dev/nvidiactl: No such file or directory");
            d.exit(ExitStatus.exited(2));
        });
        Step step = step(config);
        assertThatThrownBy(() -> step.run(context(config))).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 100) ended before logging \"Local RPC services initialized\": exit code 2")
                .hasMessageContaining("Failed to open /dev/nvidiactl");
    }

    @Test
    void theRealDaemonForksItsParentsExitZeroIsExpectedButTheDaemonsDeathIsNot() throws BootFailure {
        // nvidia-persistenced always forks: the child logs the marker, the parent exits 0.
        BootConfig config = TestConfig.defaults().build();
        fakes.persistencedAsNvidias(root);
        BootContext context = context(config);
        step(config).run(context);
        Step health = new GpuSteps(config, new PciTopology(List.of(), List.of(), List.of()),
                GuestLayout.detect(SysfsFixture.at(root).paths())).health().get(0);
        health.run(context);
        fakes.processes.followed().get(0).exit(ExitStatus.exited(1));
        assertThatThrownBy(() -> health.run(context)).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid " + FakePorts.PERSISTENCED_DAEMON_PID
                        + ") ended during the boot: exit code 1");
    }

    @Test
    void aParentThatExitsZeroWithoutAMarkerFailsAtOnceNotAtTheTimeout() throws BootFailure {
        BootConfig config = TestConfig.defaults().timeout(Duration.ofSeconds(300)).build();
        fakes.processes.whenStarted(GpuSteps.NVIDIA_PERSISTENCED, d -> {
            d.print("nvidia-persistenced: Failed to create the runtime directory");
            d.exit(ExitStatus.exited(0));
        });
        Step step = step(config);
        assertThatThrownBy(() -> step.run(context(config))).isInstanceOf(BootFailure.class)
                .hasMessage("nvidia-persistenced (pid 100) ended before logging \"Local RPC services initialized\": "
                        + "exit code 0; last lines: nvidia-persistenced: Failed to create the runtime directory");
    }

    @Test
    void aPersistencedThatDoesNotKnowTheUvmOptionGetsTheWayOut() throws BootFailure {
        // nvidia-persistenced 535.171.04 (Debian 12), as seen in the VM with the real binary.
        BootConfig config = TestConfig.defaults().build();
        fakes.processes.whenStarted(GpuSteps.NVIDIA_PERSISTENCED, d -> {
            d.print("/bin/nvidia-persistenced: unrecognized option: \"--uvm-persistence-mode\"");
            d.print("");
            d.exit(ExitStatus.exited(0));
        });
        Step step = step(config);
        assertThatThrownBy(() -> step.run(context(config))).isInstanceOf(BootFailure.class)
                .hasMessage("nvidia-persistenced (pid 100) ended before logging \"Local RPC services initialized\": "
                        + "exit code 0; last lines: /bin/nvidia-persistenced: unrecognized option: \"--uvm-persistence-mode\"; "
                        + "this nvidia-persistenced predates --uvm-persistence-mode (driver 550.40.07 and later have it): "
                        + "boot with nvrc.uvm.persistence.mode=off");
    }

    @Test
    void withoutTheUvmOptionAnUnknownOptionGetsNoUvmHint() throws BootFailure {
        BootConfig config = TestConfig.defaults().uvmPersistence(false).build();
        fakes.processes.whenStarted(GpuSteps.NVIDIA_PERSISTENCED, d -> {
            d.print("/bin/nvidia-persistenced: unrecognized option: \"--uvm-persistence-mode\"");
            d.exit(ExitStatus.exited(0));
        });
        Step step = step(config);
        assertThatThrownBy(() -> step.run(context(config))).isInstanceOf(BootFailure.class)
                .hasMessageNotContaining("nvrc.uvm.persistence.mode=off");
    }

    @Test
    void aFailedStartIsTheRunnersFailureAndLeavesNoWatchOpen() throws BootFailure {
        BootConfig config = TestConfig.defaults().build();
        fakes.processes.whenStarted(GpuSteps.NVIDIA_PERSISTENCED, d -> {
            throw new IllegalStateException("spawn refused");
        });
        Step step = step(config);
        assertThatThrownBy(() -> step.run(context(config))).hasMessage("spawn refused");
        assertThat(fakes.syslog.openMarkers()).isEmpty();
    }

    @Test
    void anUncreatableRuntimeDirectoryFailsNamingIt() throws Exception {
        BootConfig config = TestConfig.defaults().build();
        Files.createDirectories(root.resolve("var/run"));
        Files.writeString(root.resolve("var/run/nvidia-persistenced"), "a file in the way");
        Step step = step(config);
        assertThatThrownBy(() -> step.run(context(config))).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("mkdir -p /var/run/nvidia-persistenced");
        assertThat(fakes.processes.calls()).as("the daemon is not started").isEmpty();
    }

    @Test
    void uvmPersistenceOffDropsTheFlag() throws BootFailure {
        assertThat(step(TestConfig.defaults().uvmPersistence(false).build()).describe().argv())
                .containsExactly("/bin/nvidia-persistenced", "--verbose");
    }
}
