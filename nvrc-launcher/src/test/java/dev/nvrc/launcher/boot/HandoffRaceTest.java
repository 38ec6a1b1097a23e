package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.HealthStep;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.testkit.FakeDaemon;
import dev.nvrc.testkit.FakePorts;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A daemon killed at the moment of the handoff, thousands of times: each run ends either in one
 * FAILED line and a power-off or in execve of kata-agent, never both and never neither.
 *
 * <p>The daemon dies on its own thread (as on the reaper thread) released by the fake init as the
 * handoff sets the RLIMIT or the OOM score, with a random spin on both sides, so that its death
 * lands before, during and after the handoff's claim. Both outcomes must occur, or the test did
 * not exercise the race.
 */
class HandoffRaceTest {
    /** Thrown where production parks: a side whose part is over. */
    static final class Parked extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static final int ITERATIONS = Integer.getInteger("nvrc.race.iterations", 5000);

    record Run(boolean exec, boolean powerOff, List<String> failedLines, String result) {}

    @Test
    void aDaemonDyingAtTheHandoffGivesEitherAFailureOrAnExecNeverBoth() throws Exception {
        int execs = 0;
        int failures = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            Run run = once(i);
            assertThat(run.exec() ^ run.powerOff()).as("iteration %d: exec=%s power-off=%s", i, run.exec(),
                    run.powerOff()).isTrue();
            if (run.exec()) {
                execs++;
                assertThat(run.failedLines()).as("iteration %d", i).isEmpty();
            } else {
                failures++;
                assertThat(run.failedLines()).as("iteration %d", i).singleElement().asString()
                        .matches("nvrc: FAILED (health|handoff): nv-hostengine \\(pid \\d+\\) ended during the boot: "
                                + "killed by signal 9");
                assertThat(run.result()).isEqualTo("failed");
            }
        }
        assertThat(execs).as("runs that handed off").isPositive();
        assertThat(failures).as("runs that failed").isPositive();
    }

    private Run once(int iteration) throws Exception {
        FakePorts fakes = new FakePorts();
        BootReport report = new BootReport(() -> 0);
        List<String> kmsg = new CopyOnWriteArrayList<>();
        FailPath failPath = new FailPath(new BootOutcome(), line -> kmsg.add("nvrc: " + line), fakes.init, report, () -> {
            throw new Parked();
        });
        BootRunner runner = new BootRunner(report, failPath);
        BootContext context = fakes.context(Config.defaults(), NvrcPaths.system());
        runner.watch(context.daemons());
        FakeDaemon daemon = (FakeDaemon) fakes.processes.start(Command.of("nv-hostengine", List.of("/bin/nv-hostengine")));
        context.daemons().add(daemon);

        ThreadLocalRandom random = ThreadLocalRandom.current();
        String trigger = random.nextBoolean() ? "rlimit" : "oom_score_adj";
        int mainSpin = random.nextInt(2000);
        int killerSpin = random.nextInt(2000);
        CountDownLatch go = new CountDownLatch(1);
        fakes.init.onEvent(event -> {
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
                daemon.exit(ExitStatus.killed(9));
            } catch (Parked expected) {
                // The failure's part is over (it powered off, or it lost to the handoff).
            } catch (Throwable t) {
                killerError.set(t);
            }
        }, "killer-" + iteration);
        killer.start();

        List<Step> steps = List.of(new HealthStep(), new HandoffStep(() -> 7, false, Map.of("HOME", "/"),
                failPath.outcome()));
        try {
            runner.runAll(steps, context);
        } catch (Parked expected) {
            // A failure won: the main thread parks while the failure powers off.
        }
        go.countDown(); // a failure before the handoff's first event still releases the killer
        killer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(killer.isAlive()).as("the killer thread hangs").isFalse();
        assertThat(killerError.get()).isNull();
        return new Run(fakes.init.replaced(), fakes.init.poweredOff(),
                kmsg.stream().filter(l -> l.contains("FAILED")).toList(), report.result());
    }

    private static void spin(int rounds) {
        for (int i = 0; i < rounds; i++) {
            Thread.onSpinWait();
        }
    }
}
