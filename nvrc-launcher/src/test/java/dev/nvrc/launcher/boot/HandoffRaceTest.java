package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.plan.FakeBootMachine;
import dev.nvrc.testkit.FakeDaemon;
import dev.nvrc.testkit.SysfsFixture;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link Boot} of a GPU VM with DCGM against fakes, nv-hostengine killed at the moment
 * of the handoff, thousands of times: each boot ends either in one FAILED line and a power-off or
 * in execve of kata-agent, never both and never neither.
 *
 * <p>The daemon dies on its own thread (as on the reaper thread), released by the fake init as
 * the handoff sets the RLIMIT or the OOM score, after a random spin on both sides, so that its
 * death lands before, during and after the handoff's claim. Both outcomes must occur, or the test
 * did not exercise the race.
 */
class HandoffRaceTest {
    static final int ITERATIONS = Integer.getInteger("nvrc.race.iterations", 2000);

    @TempDir
    Path root;

    record Run(boolean exec, boolean powerOff, List<String> failedLines, String result) {}

    @Test
    void aDaemonDyingAtTheHandoffGivesEitherAFailureOrAnExecNeverBoth() throws Exception {
        SysfsFixture tree = SysfsFixture.at(root).gpus(1);
        int execs = 0;
        int failures = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Run run = once(tree, i);
            assertThat(run.exec() ^ run.powerOff()).as("iteration %d: exec=%s power-off=%s", i, run.exec(),
                    run.powerOff()).isTrue();
            if (run.exec()) {
                execs++;
                assertThat(run.failedLines()).as("iteration %d", i).isEmpty();
            } else {
                failures++;
                assertThat(run.failedLines()).as("iteration %d", i).singleElement().asString()
                        .matches("nvrc: FAILED handoff: nv-hostengine \\(pid \\d+\\) ended during the boot: "
                                + "killed by signal 9");
                assertThat(run.result()).isEqualTo("failed");
            }
        }
        assertThat(execs).as("boots that handed off").isPositive();
        assertThat(failures).as("boots that failed").isPositive();
    }

    private Run once(SysfsFixture tree, int iteration) throws Exception {
        FakeBootMachine machine = new FakeBootMachine(tree, "nvrc.dcgm=on nvrc.cdi=ctk");
        machine.fakes.persistencedAsNvidias(root);
        AtomicReference<FakeDaemon> hostengine = new AtomicReference<>();
        machine.fakes.processes.whenStarted("nv-hostengine", d -> {
            hostengine.set(d);
            machine.fakes.syslog.log("Started host engine version 4.6.0 using port number: 5555");
        });

        ThreadLocalRandom random = ThreadLocalRandom.current();
        String trigger = random.nextBoolean() ? "rlimit" : "oom_score_adj";
        int mainSpin = random.nextInt(2000);
        int killerSpin = random.nextInt(2000);
        CountDownLatch go = new CountDownLatch(1);
        machine.fakes.init.onEvent(event -> {
            if (event.startsWith(trigger)) {
                go.countDown();
                spin(mainSpin);
            }
        });
        AtomicReference<Throwable> killerError = new AtomicReference<>();
        Thread killer = new Thread(() -> {
            try {
                go.await();
                spin(killerSpin);
                hostengine.get().exit(ExitStatus.killed(9));
            } catch (FakeBootMachine.Parked expected) {
                // The failure's part is over: it powered off, or it lost to the handoff.
            } catch (Throwable t) {
                killerError.set(t);
            }
        }, "killer-" + iteration);
        killer.start();

        Boot boot = new Boot(machine.machine());
        try {
            boot.boot(0);
        } catch (FakeBootMachine.Parked expected) {
            // A failure won: the main thread parks while the failing thread powers off.
        } finally {
            go.countDown();
        }
        killer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(killer.isAlive()).as("the killer thread hangs").isFalse();
        assertThat(killerError.get()).isNull();
        return new Run(machine.fakes.init.replaced(), machine.fakes.init.poweredOff(), machine.failedLines(),
                boot.report().result());
    }

    private static void spin(int rounds) {
        for (int i = 0; i < rounds; i++) {
            Thread.onSpinWait();
        }
    }
}
