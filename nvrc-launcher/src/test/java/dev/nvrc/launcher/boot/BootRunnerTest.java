package dev.nvrc.launcher.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.plan.AgentEnvironment;
import dev.nvrc.plan.BootOutcome;
import dev.nvrc.plan.FakeBootMachine;
import dev.nvrc.plan.HandoffStep;
import dev.nvrc.plan.NamedStep;
import dev.nvrc.testkit.FakeDaemon;
import dev.nvrc.testkit.FakePorts;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class BootRunnerTest {
    /** Thrown where production would park forever after power-off. */
    static final class PoweredOff extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path root;

    final FakePorts fakes = new FakePorts();
    final AtomicLong clock = new AtomicLong();
    final BootReport report = new BootReport(clock::get);
    final List<String> kmsg = new ArrayList<>();
    final FailPath failPath = new FailPath(new BootOutcome(), line -> kmsg.add("nvrc: " + line), fakes.init, report, () -> {
        throw new PoweredOff();
    });
    final BootRunner runner = new BootRunner(report, failPath);
    final BootContext context = fakes.context(BootConfig.defaults(), NvrcPaths.system());
    final List<String> ran = new ArrayList<>();

    Step step(String name, long millis, Runnable action) {
        return new NamedStep(name, Map.of(), c -> {
            ran.add(name);
            clock.addAndGet(millis);
            action.run();
        });
    }

    Step failing(String name, String reason) {
        return new NamedStep(name, Map.of(), c -> {
            ran.add(name);
            throw new BootFailure(reason);
        });
    }

    @Test
    void stepsRunInOrderAndAreTimed() {
        runner.runAll(List.of(step("a", 5, () -> {}), step("b", 7, () -> {})), context);
        assertThat(ran).containsExactly("a", "b");
        assertThat(report.steps()).extracting(s -> s.step() + "@" + s.startMs() + "+" + s.durationMs())
                .containsExactly("a@0+5", "b@5+7");
        assertThat(kmsg).isEmpty();
        assertThat(fakes.init.events()).isEmpty();
    }

    @Test
    void aFailingStepGivesOneFailedLineThenPowerOffAndNothingAfter() {
        assertThatThrownBy(() -> runner.runAll(List.of(step("a", 1, () -> {}),
                failing("modprobe nvidia", "modprobe failed (exit code 1)"), step("c", 1, () -> {})), context))
                .isInstanceOf(PoweredOff.class);
        assertThat(ran).containsExactly("a", "modprobe nvidia");
        assertThat(kmsg).containsExactly("nvrc: FAILED modprobe nvidia: modprobe failed (exit code 1)");
        assertThat(fakes.init.events()).containsExactly("power off");
        assertThat(report.result()).isEqualTo("failed");
        assertThat(report.steps()).extracting(s -> s.step() + ":" + s.ok()).containsExactly("a:true", "modprobe nvidia:false");
    }

    @Test
    void anExceptionEscapingAStepIsNamedWithItsType() {
        assertThatThrownBy(() -> runner.run(step("cdi", 1, () -> {
            throw new IllegalArgumentException("bad\nthing");
        }), context)).isInstanceOf(PoweredOff.class);
        assertThat(kmsg).singleElement().asString()
                .startsWith("nvrc: FAILED cdi: unexpected java.lang.IllegalArgumentException: bad | thing at ");
    }

    @Test
    void aDaemonDyingDuringAnotherStepFailsAtOnceNamingIt() {
        runner.watch(context.daemons());
        FakeDaemon daemon = (FakeDaemon) fakes.processes.start(Command.of("nv-hostengine", List.of("/bin/nv-hostengine")));
        context.daemons().add(daemon);
        daemon.print("DCGM initialization failed");
        assertThatThrownBy(() -> runner.run(step("nvidia-smi -lgc", 1, () -> daemon.exit(ExitStatus.exited(1))), context))
                .isInstanceOf(PoweredOff.class);
        assertThat(kmsg).containsExactly("nvrc: FAILED nvidia-smi -lgc: nv-hostengine (pid 100) ended during the boot: "
                + "exit code 1; last lines: DCGM initialization failed");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aFailureDecidedOnAnotherThreadStopsTheRunnerBeforeTheNextStep() {
        runner.watch(context.daemons());
        FakeDaemon daemon = (FakeDaemon) fakes.processes.start(Command.of("nv-hostengine", List.of("/bin/nv-hostengine")));
        context.daemons().add(daemon);
        Step killsOnTheReaperThread = step("a", 1, () -> {
            Thread reaper = new Thread(() -> {
                try {
                    daemon.exit(ExitStatus.killed(9));
                } catch (PoweredOff expected) {
                    // the failing thread's part is over
                }
            });
            reaper.start();
            try {
                reaper.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> runner.runAll(List.of(killsOnTheReaperThread, step("b", 1, () -> {})), context))
                .isInstanceOf(PoweredOff.class);
        assertThat(ran).containsExactly("a");
        assertThat(kmsg).containsExactly("nvrc: FAILED a: nv-hostengine (pid 100) ended during the boot: killed by signal 9");
        assertThat(fakes.init.events()).containsExactly("power off");
    }

    @Test
    void aHandoffWhoseExecveFailsIsReportedDespiteItsClaim() {
        fakes.init.execveFails("No such file or directory");
        fakes.syslog.bind();
        HandoffStep handoff = new HandoffStep(false,
                new AgentEnvironment(Map.of("HOME", "/"), false), failPath.outcome());
        assertThatThrownBy(() -> runner.run(handoff, context)).isInstanceOf(PoweredOff.class);
        assertThat(kmsg).containsExactly("nvrc: FAILED handoff: execve /usr/bin/kata-agent: No such file or directory");
        assertThat(fakes.init.events()).endsWith("power off");
    }

    @Test
    void aFailureAfterTheHandoffsClaimIsSilent() {
        fakes.syslog.bind();
        HandoffStep handoff = new HandoffStep(false,
                new AgentEnvironment(Map.of("HOME", "/"), false), failPath.outcome());
        runner.run(handoff, context);
        assertThat(failPath.outcome().state()).isEqualTo(BootOutcome.State.HANDED_OFF);
        assertThatThrownBy(() -> failPath.fail("handoff", "nv-hostengine died")).isInstanceOf(PoweredOff.class);
        assertThat(kmsg).isEmpty();
        assertThat(fakes.init.events()).noneMatch(e -> e.equals("power off")).anyMatch(e -> e.startsWith("execve "));
    }

    @Test
    void aLauncherExitingZeroAfterForkingIsNotAFailureButADaemonEndingWithZeroIs() {
        runner.watch(context.daemons());
        FakeDaemon launcher = (FakeDaemon) fakes.processes.start(Command.of("nvidia-persistenced",
                List.of("/bin/nvidia-persistenced")));
        context.daemons().addLauncher(launcher);
        runner.run(step("x", 1, () -> launcher.exit(ExitStatus.exited(0))), context);
        assertThat(kmsg).isEmpty();
        FakeDaemon daemon = (FakeDaemon) fakes.processes.start(Command.of("nv-hostengine", List.of("/bin/nv-hostengine")));
        context.daemons().add(daemon);
        assertThatThrownBy(() -> runner.run(step("y", 1, () -> daemon.exit(ExitStatus.exited(0))), context))
                .isInstanceOf(PoweredOff.class);
        assertThat(kmsg).singleElement().asString().startsWith("nvrc: FAILED y: nv-hostengine (pid ")
                .contains("ended during the boot: exit code 0");
    }

    @Test
    void onlyTheFirstFailureIsReported() {
        assertThatThrownBy(() -> failPath.fail("a", "first")).isInstanceOf(PoweredOff.class);
        assertThatThrownBy(() -> failPath.fail("b", new IllegalStateException())).isInstanceOf(PoweredOff.class);
        assertThat(kmsg).containsExactly("nvrc: FAILED a: first");
        assertThat(fakes.init.events()).containsExactly("power off");
        assertThat(failPath.hasFailed()).isTrue();
    }

    @Test
    void uncaughtExceptionsOfOtherThreadsGoToTheFailPath() throws Exception {
        Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
        try {
            Thread.setDefaultUncaughtExceptionHandler(runner.uncaughtHandler());
            Thread t = new Thread(() -> {
                throw new IllegalStateException("syslog reader died");
            });
            t.start();
            t.join();
            assertThat(kmsg).singleElement().asString()
                    .startsWith("nvrc: FAILED start: unexpected java.lang.IllegalStateException: syslog reader died");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(previous);
        }
    }

    @Test
    void aReasonThatRepeatsTheStepNameIsNotStuttered() {
        assertThatThrownBy(() -> failPath.fail("sysctl kernel.x", "sysctl kernel.x: cannot write")).isInstanceOf(PoweredOff.class);
        assertThat(kmsg).containsExactly("nvrc: FAILED sysctl kernel.x: cannot write");
    }

    @Test
    void emptyReasonStillSaysSomething() {
        assertThatThrownBy(() -> failPath.fail("x", " ")).isInstanceOf(PoweredOff.class);
        assertThat(kmsg).containsExactly("nvrc: FAILED x: unknown reason");
    }

    /** A decision of "mode" that returns {@code value} after {@code millis}, or fails with {@code reason}. */
    dev.nvrc.core.plan.Decision<String> decision(String value, long millis, String reason, List<String> applied) {
        return new dev.nvrc.core.plan.Decision<>() {
            @Override
            public String name() {
                return "mode";
            }

            @Override
            public String decide(BootContext c) throws BootFailure {
                ran.add("decide");
                clock.addAndGet(millis);
                if (reason != null) {
                    throw new BootFailure(reason);
                }
                return value;
            }

            @Override
            public void apply(String decided, BootContext c) {
                applied.add(decided);
            }

            @Override
            public dev.nvrc.core.plan.PlanEntry describe(String decided) {
                return dev.nvrc.core.plan.PlanEntry.of("mode", Map.of("decided", decided));
            }
        };
    }

    @Test
    void aDecisionReturnsItsValueAppliedTimedAndListedWithIt() {
        List<String> applied = new ArrayList<>();
        assertThat(runner.decide(decision("gpu", 4, null, applied), context)).isEqualTo("gpu");
        assertThat(applied).containsExactly("gpu");
        assertThat(report.steps()).extracting(s -> s.step() + "@" + s.startMs() + "+" + s.durationMs() + " " + s.ok())
                .containsExactly("mode@0+4 true");
        assertThat(runner.stepsRun()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("mode");
            assertThat(s.describe().details()).containsEntry("decided", "gpu");
            assertThatThrownBy(() -> s.run(context)).isInstanceOf(IllegalStateException.class);
        });
    }

    @Test
    void aFailingDecisionFailsTheBootNamingItAndAppliesNothing() {
        List<String> applied = new ArrayList<>();
        assertThatThrownBy(() -> runner.decide(decision("gpu", 2, "both fabrics", applied), context))
                .isInstanceOf(PoweredOff.class);
        assertThat(applied).isEmpty();
        assertThat(kmsg).singleElement().asString().isEqualTo("nvrc: FAILED mode: both fabrics");
        assertThat(runner.stepsRun()).extracting(Step::name).containsExactly("mode");
        assertThat(report.steps()).extracting(s -> s.step() + " " + s.ok()).containsExactly("mode false");
    }
}
