package dev.nvrc.fabric;

import dev.nvrc.core.GuestLayout;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.testkit.FakeDaemon;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvlsmStepTest {
    @TempDir
    Path root;

    private static ManagedPort discovered() {
        return ManagedPort.found(new PortGuid("mlx5_10", 1, FabricMachine.GUID));
    }

    @Test
    void waitsTheSettleTimeWhenNvlsmStaysUp() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        BootContext context = vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths());
        Step step = FabricSteps.nvlsm(GuestLayout.baseImage(), Duration.ofMillis(200), discovered());

        long start = System.nanoTime();
        step.run(context);
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(tookMs).isGreaterThanOrEqualTo(200);
        assertThat(context.daemons().all()).extracting(d -> d.name()).containsExactly("nvlsm");
    }

    @Test
    void aDeathDuringTheSettleTimeFailsAtOnceNotAtItsEnd() {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.whenStarted("nvlsm", d -> CompletableFuture.runAsync(() -> {
            d.print("nvlsm: SM port is down");
            d.exit(ExitStatus.exited(3));
        }, CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS)));
        BootContext context = vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths());
        Step step = FabricSteps.nvlsm(GuestLayout.baseImage(), Duration.ofSeconds(60), discovered());

        long start = System.nanoTime();
        assertThatThrownBy(() -> step.run(context)).isInstanceOf(BootFailure.class)
                .hasMessage("nvlsm (pid 100) ended during the boot: exit code 3; last lines: nvlsm: SM port is down");
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        // Generous bound: the point is "on the exit event", far below the 60 s settle time.
        assertThat(tookMs).isLessThan(10_000);
        assertThat(context.daemons().all()).hasSize(1);
    }

    @Test
    void zeroSettleTimeStillReportsAnAlreadyDeadNvlsm() {
        FabricMachine vm = FabricMachine.baseImage(root);
        vm.fakes.processes.whenStarted("nvlsm", d -> d.exit(ExitStatus.killed(6)));
        BootContext context = vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths());

        assertThatThrownBy(() -> FabricSteps.nvlsm(GuestLayout.baseImage(), Duration.ZERO, discovered()).run(context))
                .isInstanceOf(BootFailure.class).hasMessage("nvlsm (pid 100) ended during the boot: killed by signal 6");
    }

    @Test
    void interruptionWhileSettlingIsAFailureAndKeepsTheInterruptFlag() {
        FabricMachine vm = FabricMachine.baseImage(root);
        BootContext context = vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths());
        Step step = FabricSteps.nvlsm(GuestLayout.baseImage(), Duration.ofSeconds(60), discovered());

        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> step.run(context)).isInstanceOf(BootFailure.class)
                    .hasMessage("interrupted while watching nvlsm start");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void missingNvlsmConfigIsNamedAndNothingStarts() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        java.nio.file.Files.delete(root.resolve("usr/share/nvidia/nvlsm/nvlsm.conf"));
        BootContext context = vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths());

        assertThatThrownBy(() -> FabricSteps.nvlsm(GuestLayout.baseImage(), Duration.ZERO, discovered()).run(context))
                .isInstanceOf(BootFailure.class)
                .hasMessage("NVLSM config /usr/share/nvidia/nvlsm/nvlsm.conf is missing: the image must ship it with nvlsm");
        assertThat(vm.fakes.processes.calls()).isEmpty();
    }

    @Test
    void nvlsmAndFabricManagerAreStartedWithTheDecidedGuid() throws Exception {
        FabricMachine vm = FabricMachine.baseImage(root);
        BootContext context = vm.fakes.context(BootConfig.defaults(), vm.sysfs.paths());

        FabricSteps.nvlsm(GuestLayout.baseImage(), Duration.ZERO, discovered()).run(context);
        FabricSteps.fabricManager(GuestLayout.baseImage(), Duration.ofSeconds(1), discovered(),
                FabricSteps.readiness(dev.nvrc.core.api.NvLink.NVL5, dev.nvrc.core.api.Mode.NVSWITCH_NVL5)).run(context);

        assertThat(vm.argvLines()).isEqualTo("START /sbin/nvlsm -F /usr/share/nvidia/nvlsm/nvlsm.conf -g " + FabricMachine.GUID
                + " -f stdout\nSTART /bin/nv-fabricmanager -c /run/fabricmanager.cfg -g " + FabricMachine.GUID + "\n");
        assertThat(vm.fakes.processes.daemons()).extracting(FakeDaemon::name).containsExactly("nvlsm", "nv-fabricmanager");
    }
}
