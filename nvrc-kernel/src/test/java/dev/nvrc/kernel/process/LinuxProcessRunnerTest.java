package dev.nvrc.kernel.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.kernel.syslog.SyslogMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinuxProcessRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final LinuxProcessRunner runner = new LinuxProcessRunner();

    @TempDir
    Path dir;

    private static Command sh(String name, String script) {
        return Command.of(name, List.of("/bin/sh", "-c", script));
    }

    private String runToFile(Command command) throws Exception {
        Path out = dir.resolve(command.name() + ".out");
        ChildProcess child = runner.spawn(command, ChildOutput.toFile(out));
        assertThat(child.awaitExit(WAIT)).hasValue(ExitStatus.exited(0));
        return Files.readString(out);
    }

    @Test
    void runSucceedsOnExitZero() throws BootFailure {
        runner.run(Command.of("true", List.of("/bin/true")), WAIT);
    }

    @Test
    void aNonZeroExitIsAFailureWithTheLastOutputLines() {
        assertThatThrownBy(() -> runner.run(sh("failing-step", "echo to-stdout; echo to-stderr >&2; exit 3"), WAIT))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("failing-step failed: exit code 3 (/bin/sh -c echo to-stdout;")
                .hasMessageContaining("last output: ")
                .hasMessageContaining("to-stdout")
                .hasMessageContaining("to-stderr");
    }

    @Test
    void aSignalIsAFailureNamingIt() {
        assertThatThrownBy(() -> runner.run(sh("self-killer", "kill -KILL $$"), WAIT))
                .hasMessageStartingWith("self-killer failed: killed by signal 9");
    }

    @Test
    void aCommandRunningPastItsTimeoutIsKilledAndNamed() {
        long start = System.nanoTime();
        assertThatThrownBy(() -> runner.run(sh("slow-step", "echo started; exec sleep 30"), Duration.ofMillis(300)))
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("slow-step did not finish within 300 ms and was killed")
                .hasMessageContaining("started");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aBackgroundGrandchildHoldingThePipeDoesNotBlockRun() throws BootFailure {
        long start = System.nanoTime();
        runner.run(sh("forker", "sleep 5 & echo done"), WAIT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aMissingOrNonExecutableProgramIsAFailureNamingIt() throws Exception {
        assertThatThrownBy(() -> runner.run(Command.of("ghost", List.of("/nonexistent/bin/ghost")), WAIT))
                .hasMessage("cannot start ghost: /nonexistent/bin/ghost does not exist");
        Path notExec = Files.createFile(dir.resolve("not-exec"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        assertThatThrownBy(() -> runner.start(Command.of("plain", List.of(notExec.toString()))))
                .hasMessage("cannot start plain: " + notExec + " is not executable");
    }

    @Test
    void aProgramTheKernelCannotExecIsAFailureWithTheErrno() throws Exception {
        Path garbage = dir.resolve("garbage");
        Files.write(garbage, new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0, 0});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> runner.run(Command.of("broken", List.of(garbage.toString())), WAIT))
                .hasMessageStartingWith("cannot start broken: " + garbage + ": ENOEXEC");
    }

    @Test
    void theChildGetsExactlyTheGivenEnvironment() throws Exception {
        Command env = new Command("env", List.of("/usr/bin/env"), Map.of("FOO", "bar baz", "PATH", "/bin"));
        assertThat(runToFile(env).lines().sorted().collect(Collectors.toList())).containsExactly("FOO=bar baz", "PATH=/bin");
    }

    @Test
    void argvIsPassedVerbatim() throws Exception {
        Command printf = Command.of("printf", List.of("/usr/bin/printf", "[%s]\\n", "a b", "", "$HOME", "*"));
        assertThat(runToFile(printf)).isEqualTo("[a b]\n[]\n[$HOME]\n[*]\n");
    }

    @Test
    void theChildInheritsNoJvmDescriptors() throws Exception {
        Set<String> fds = runToFile(Command.of("ls-fds", List.of("/bin/ls", "/proc/self/fd"))).lines().collect(Collectors.toSet());
        // 0, 1, 2 and the directory ls itself opened.
        assertThat(fds).isSubsetOf("0", "1", "2", "3");
    }

    @Test
    void theChildStartsWithNoSignalBlocked() throws Exception {
        String status = runToFile(Command.of("sigblk", List.of("/bin/grep", "^SigBlk:", "/proc/self/status")));
        assertThat(status.trim()).isEqualTo("SigBlk:\t0000000000000000");
    }

    @Test
    void stdinIsDevNull() throws Exception {
        assertThat(runToFile(Command.of("readlink-stdin", List.of("/bin/readlink", "/proc/self/fd/0"))).trim())
                .isEqualTo("/dev/null");
    }

    @Test
    void discardedOutputGoesNowhereAndInheritedOutputReachesOurStreams() throws Exception {
        ChildProcess quiet = runner.spawn(sh("quiet", "echo x; echo y >&2"), ChildOutput.discard());
        assertThat(quiet.awaitExit(WAIT)).hasValue(ExitStatus.exited(0));
        ChildProcess loud = runner.spawn(sh("loud", "exit 0"), ChildOutput.inherit());
        assertThat(loud.awaitExit(WAIT)).hasValue(ExitStatus.exited(0));
    }

    @Test
    void daemonDeathIsReportedWithItsStatus() throws Exception {
        Daemon d = runner.start(sh("term-self", "kill -TERM $$"));
        CompletableFuture<ExitStatus> seen = new CompletableFuture<>();
        d.onExit(seen::complete);
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killed(15));
        assertThat(d.exitStatus()).hasValue(ExitStatus.killed(15));
        // A listener added after the death is called at once.
        CompletableFuture<ExitStatus> late = new CompletableFuture<>();
        d.onExit(late::complete);
        assertThat(late).isCompletedWithValue(ExitStatus.killed(15));
        assertThat(d.name()).isEqualTo("term-self");
        assertThat(runner.daemons()).extracting(Daemon::name).contains("term-self");
    }

    /**
     * A forked daemon is the init's child once its launcher has exited (PID 1 inherits orphans).
     * A host test is no PID 1, so the "orphan" here is a child spawned past the reaper's registry,
     * which the reaper collects as one: followed before it ends, or after it was reaped.
     */
    @Test
    void aFollowedProcessReportsItsEndWhetherItComesAfterOrBeforeTheFollow() throws Exception {
        LinuxDaemon launcher = (LinuxDaemon) runner.start(Command.of("launcher", List.of("/bin/sleep", "30")));
        try {
            long later = Spawner.spawn(sh("orphan-later", "sleep 0.5; exit 3"), ChildOutput.discard());
            Daemon followed = runner.follow(launcher, later);
            assertThat(followed.pid()).isEqualTo(later);
            assertThat(followed.name()).isEqualTo("launcher");
            CompletableFuture<ExitStatus> seen = new CompletableFuture<>();
            followed.onExit(seen::complete);
            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.exited(3));

            long reapedBefore = LinuxProcessRunner.orphansReaped();
            long earlier = Spawner.spawn(sh("orphan-earlier", "exit 4"), ChildOutput.discard());
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (LinuxProcessRunner.orphansReaped() == reapedBefore && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Daemon gone = runner.follow(launcher, earlier);
            assertThat(gone.exitStatus()).hasValue(ExitStatus.exited(4));
        } finally {
            launcher.kill(ChildProcess.SIGKILL);
        }
    }

    @Test
    void onlyADaemonStartedHereCanBeFollowed() {
        Daemon stranger = new dev.nvrc.core.port.Daemon() {
            @Override
            public String name() {
                return "stranger";
            }

            @Override
            public long pid() {
                return 1;
            }

            @Override
            public java.util.Optional<ExitStatus> exitStatus() {
                return java.util.Optional.empty();
            }

            @Override
            public void onExit(java.util.function.Consumer<ExitStatus> listener) {
            }

            @Override
            public List<String> recentLines(int max) {
                return List.of();
            }
        };
        assertThatThrownBy(() -> runner.follow(stranger, 4242)).isInstanceOf(BootFailure.class)
                .hasMessage("cannot follow stranger (pid 4242): it was not started here");
    }

    @Test
    void aRunningDaemonHasNoStatusAndCanBeKilled() throws Exception {
        LinuxDaemon d = (LinuxDaemon) runner.start(Command.of("sleeper", List.of("/bin/sleep", "30")));
        assertThat(d.exitStatus()).isEmpty();
        assertThat(d.pid()).isPositive();
        assertThat(d.kill(ChildProcess.SIGTERM)).isTrue();
        CompletableFuture<ExitStatus> seen = new CompletableFuture<>();
        d.onExit(seen::complete);
        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo(ExitStatus.killed(15));
        assertThat(d.kill(ChildProcess.SIGTERM)).isFalse();
    }

    @Test
    void manyConcurrentChildrenEachGetTheirOwnStatus() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ExitStatus>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int code = i;
                results.add(pool.submit(() -> runner.spawn(sh("child-" + code, "exit " + code), ChildOutput.discard())
                        .awaitExit(WAIT).orElseThrow()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(ExitStatus.exited(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyKernelLinesWithTheAskedPrefixesAreQuoted() {
        assertThat(LinuxProcessRunner.kernelQuote(java.util.List.of("nvidia: taints kernel", "NVRM: No NVIDIA GPU found.",
                "NVRM: second", "other"), java.util.List.of("NVRM:")))
                .isEqualTo("; kernel log: NVRM: No NVIDIA GPU found. | NVRM: second");
        assertThat(LinuxProcessRunner.kernelQuote(java.util.List.of("other"), java.util.List.of("NVRM:"))).isEmpty();
    }

    @Test
    void aFailureWithKernelPrefixesButNoReadableLogIsThePlainFailure() {
        runner.readKernelLogFrom(Path.of("/nonexistent/kmsg"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.run(sh("modprobe", "echo nope >&2; exit 1"),
                        WAIT, java.util.List.of("NVRM:")))
                .isInstanceOf(dev.nvrc.core.BootFailure.class)
                .hasMessageEndingWith("; last output: nope");
    }

    @Test
    void syslogLinesAreCreditedToTheDaemonByPidOrName() throws Exception {
        LinuxDaemon d = (LinuxDaemon) runner.start(Command.of("nv-test-daemon", List.of("/bin/sleep", "30")));
        try {
            runner.routeSyslog(SyslogMessage.parse("Nov 25 10:00:00 whatever[" + d.pid() + "]: by pid"));
            runner.routeSyslog(SyslogMessage.parse("nv-test-daemon: by name"));
            runner.routeSyslog(SyslogMessage.parse("sleep: by program name"));
            runner.routeSyslog(SyslogMessage.parse("someone-else[1]: not ours"));
            runner.routeSyslog(SyslogMessage.parse("untagged"));
            assertThat(d.recentLines(10)).containsExactly(
                    "whatever[" + d.pid() + "]: by pid", "nv-test-daemon: by name", "sleep: by program name");
            assertThat(d.command().program()).isEqualTo("/bin/sleep");
            assertThat(d.toString()).isEqualTo("nv-test-daemon (pid " + d.pid() + ")");
        } finally {
            d.kill(ChildProcess.SIGKILL);
        }
    }
}
