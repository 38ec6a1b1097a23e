package dev.nvrc.kernel.syslog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.api.NvLink;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.init.InheritedFds;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.process.ChildProcess;
import dev.nvrc.kernel.process.LinuxDaemon;
import dev.nvrc.kernel.process.LinuxProcessRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sink bound at a temporary path (harmless, no PID 1 needed) with real datagram senders. */
class LinuxSyslogSinkTest {
    private static final Duration SYNC = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    Path socket;
    LinuxSyslogSink sink;
    final LinuxProcessRunner runner = new LinuxProcessRunner();

    @BeforeEach
    void open() throws BootFailure {
        socket = dir.resolve("log");
        sink = new LinuxSyslogSink(socket, Pid1Guard.system(), SyslogOptions.DEFAULT);
        sink.addListener(runner::routeSyslog);
        sink.open();
    }

    @AfterEach
    void close() {
        sink.close();
        KernelLog.setLevel(LogLevel.OFF);
        KernelLog.useConsole();
        for (LinuxDaemon d : runner.daemons()) {
            d.kill(ChildProcess.SIGKILL);
        }
    }

    private static Command sh(String name, String script) {
        return Command.of(name, List.of("/bin/sh", "-c", script));
    }

    @Test
    void messagesArriveCleanedAndInOrder() throws Exception {
        try (DatagramSender s = new DatagramSender(socket)) {
            s.send("<30>first  \n");
            s.send("<>second");
            s.send(new byte[] {'<', '6', '>', 'b', 'a', 'd', (byte) 0xff});
        }
        assertThat(sink.sync(SYNC)).isTrue();
        assertThat(sink.recentMessages(10)).containsExactly("first", "second", "bad\ufffd");
        assertThat(sink.recentMessages(1)).containsExactly("bad\ufffd");
        assertThat(sink.stats().received()).isEqualTo(3);
    }

    @Test
    void theSocketIsWritableByEveryoneAndCloseOnExec() throws Exception {
        assertThat(Files.getPosixFilePermissions(socket)).isEqualTo(PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThat(InheritedFds.isCloseOnExec(sink.fd())).isTrue();
        sink.clearCloseOnExec();
        assertThat(InheritedFds.isCloseOnExec(sink.fd())).isFalse();
        assertThat(InheritedFds.kept()).contains(sink.fd());
        int fd = sink.fd();
        sink.close();
        assertThat(InheritedFds.kept()).doesNotContain(fd);
    }

    @Test
    void aMarkerWaitResolvesRightAfterTheMessage() throws Exception {
        Daemon daemon = runner.start(Command.of("sleeper", List.of("/bin/sleep", "30")));
        List<Long> latencies = new ArrayList<>();
        try (DatagramSender s = new DatagramSender(socket)) {
            for (int i = 0; i < 20; i++) {
                String marker = "Local RPC services initialized #" + i;
                try (MarkerWatch w = sink.watch(marker)) {
                    CompletableFuture<Long> sentAt = new CompletableFuture<>();
                    Thread sender = new Thread(() -> {
                        try {
                            Thread.sleep(20);
                            sentAt.complete(System.nanoTime());
                            s.send("<29>Nov 25 10:00:00 nvidia-persistenced[1]: " + marker);
                        } catch (Exception e) {
                            sentAt.completeExceptionally(e);
                        }
                    });
                    sender.start();
                    w.await(daemon, Duration.ofSeconds(10));
                    long resolved = System.nanoTime();
                    latencies.add(resolved - sentAt.get());
                    assertThat(w.marker()).isEqualTo(marker);
                    sender.join();
                }
            }
        }
        latencies.sort(null);
        System.out.printf("marker latency over 20 waits (host, test JVM): median %.3f ms, max %.3f ms%n",
                latencies.get(10) / 1e6, latencies.get(19) / 1e6);
        assertThat(latencies.get(10)).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aMarkerThatArrivedBeforeTheWaitCounts() throws Exception {
        Daemon daemon = runner.start(Command.of("sleeper", List.of("/bin/sleep", "30")));
        MarkerWatch w = sink.watch("FM starting NvLink Inband");
        try (DatagramSender s = new DatagramSender(socket)) {
            s.send("<6>FM starting NvLink Inband: yes");
        }
        assertThat(sink.sync(SYNC)).isTrue();
        long start = System.nanoTime();
        w.await(daemon, Duration.ofSeconds(10));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));
        w.close();
    }

    @Test
    void aTimeoutNamesDaemonMarkerAndTimeout() throws Exception {
        Daemon daemon = runner.start(Command.of("nvidia-persistenced", List.of("/bin/sleep", "30")));
        try (MarkerWatch w = sink.watch("never logged")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> w.await(daemon, Duration.ofMillis(200)))
                    .isInstanceOf(BootFailure.class)
                    .hasMessage("nvidia-persistenced (pid " + daemon.pid() + ") did not log \"never logged\" within 200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(190), Duration.ofSeconds(2));
        }
    }

    @Test
    void aDaemonThatDiesBeforeItsMarkerFailsTheWaitAtOnce() throws Exception {
        Daemon daemon = runner.start(sh("nv-fabricmanager",
                "logger -u " + socket + " --id=$$ -t nv-fabricmanager 'cannot open config'; exit 4"));
        try (MarkerWatch w = sink.watch("FM starting NvLink Inband")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> w.await(daemon, Duration.ofSeconds(60)))
                    .isInstanceOf(BootFailure.class)
                    .hasMessageStartingWith("nv-fabricmanager (pid " + daemon.pid() + ") ended before logging \"FM starting NvLink Inband\": exit code 4")
                    .hasMessageContaining("last lines: ")
                    .hasMessageContaining("cannot open config");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void aMarkerLoggedRightBeforeACleanExitStillCounts() throws Exception {
        // logger exits as soon as its datagram is queued: the reader may not have read it when the
        // reaper reports the exit. The wait drains the socket before it decides.
        for (int i = 0; i < 20; i++) {
            String marker = "ready-" + i;
            try (MarkerWatch w = sink.watch(marker)) {
                Daemon oneShot = runner.start(Command.of("one-shot", List.of("/usr/bin/logger", "-u", socket.toString(), marker)));
                w.await(oneShot, Duration.ofSeconds(10));
            }
        }
    }

    @Test
    void daemonSyslogLinesShowInItsRecentLines() throws Exception {
        Daemon daemon;
        try (MarkerWatch w = sink.watch("hello from the daemon")) { // opened first, as the steps do
            daemon = runner.start(sh("fake-daemon", "logger -u " + socket + " --id=$$ -t fake-daemon hello from the daemon; exec sleep 30"));
            w.await(daemon, Duration.ofSeconds(10));
        }
        // logger sends "Mmm dd hh:mm:ss tag[pid]: text": the quoted line keeps the tag, not the wall clock.
        assertThat(daemon.recentLines(5)).containsExactly("fake-daemon[" + daemon.pid() + "]: hello from the daemon");
    }

    @Test
    void aDaemonThatExitsZeroBeforeItsMarkerFailsAtOnceQuotingWhatItPrinted() throws Exception {
        // nvidia-persistenced 535 on an option it does not know: a line on stderr, exit 0.
        runner.captureDaemonOutput(sink::openStdio);
        Daemon daemon = runner.start(sh("nvidia-persistenced",
                "echo '/bin/nvidia-persistenced: unrecognized option: \"--uvm-persistence-mode\"' >&2; echo; exit 0"));
        try (MarkerWatch w = sink.watch("Local RPC services initialized")) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> w.await(daemon, Duration.ofSeconds(300)))
                    .isInstanceOf(BootFailure.class)
                    .hasMessage("nvidia-persistenced (pid " + daemon.pid() + ") ended before logging \"Local RPC services"
                            + " initialized\": exit code 0; last lines: /bin/nvidia-persistenced: unrecognized option:"
                            + " \"--uvm-persistence-mode\"");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void stdoutStderrAndSyslogLinesAreQuotedInOrderWithoutBlankOnesOrTimestamps() throws Exception {
        runner.captureDaemonOutput(sink::openStdio);
        Daemon daemon = runner.start(sh("nv-hostengine", "printf 'one\\ntwo\\n\\n'; echo three >&2; "
                + "logger -u " + socket + " -t nv-hostengine four; printf '   \\n' >&2; exit 3"));
        try (MarkerWatch w = sink.watch("never")) {
            assertThatThrownBy(() -> w.await(daemon, Duration.ofSeconds(60)))
                    .isInstanceOf(BootFailure.class)
                    .hasMessageEndingWith(": exit code 3; last lines: one | two | three | nv-hostengine: four");
        }
    }

    @Test
    void aDaemonThatEndedIsQuotedWithEverythingItSentEvenWhenTheReaderIsBehind() throws Exception {
        // A reader that is slower than the daemon (as on an emulated CPU): without the drain the
        // exit is seen while the last lines still wait in the socket.
        sink.addListener(m -> sleep(25));
        runner.captureDaemonOutput(sink::openStdio);
        runner.drainDaemonOutputWith(() -> sink.sync(SYNC));
        Daemon daemon = runner.start(sh("nv-hostengine", "for i in 1 2 3 4 5 6 7 8; do echo line $i; done; exit 3"));
        CompletableFuture<List<String>> quotedAtExit = new CompletableFuture<>();
        daemon.onExit(status -> quotedAtExit.complete(daemon.recentLines(2)));
        assertThat(quotedAtExit.get(30, TimeUnit.SECONDS)).containsExactly("line 7", "line 8");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aDaemonsOutputSocketIsOnlyHandedOutWhileTheSinkReads() throws Exception {
        int fd = sink.openStdio("x");
        assertThat(fd).isGreaterThan(2);
        Native.libc().close(fd);
        sink.stopReader();
        assertThat(sink.openStdio("x")).isEqualTo(-1);
    }

    @Test
    void chattyDaemonThousandMessagesThenTheMarker() throws Exception {
        Daemon daemon = runner.start(Command.of("sleeper", List.of("/bin/sleep", "30")));
        long[] markerSent = new long[1];
        try (MarkerWatch w = sink.watch("CHATTY-READY"); DatagramSender s = new DatagramSender(socket)) {
            Thread sender = new Thread(() -> {
                try {
                    for (int i = 0; i < 1000; i++) {
                        s.send("<7>chatty[2]: line " + i + " " + "x".repeat(100));
                    }
                    markerSent[0] = System.nanoTime();
                    s.send("<6>chatty[2]: CHATTY-READY");
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            w.await(daemon, Duration.ofSeconds(30));
            long seen = System.nanoTime();
            sender.join();
            double ms = (seen - markerSent[0]) / 1e6;
            System.out.printf("chatty: 1000 messages then the marker; marker seen %.3f ms after it was sent; sender blocked max %.3f ms (qlen %s)%n",
                    ms, s.maxSendNanos() / 1e6, dev.nvrc.kernel.procfs.KernelFile.read(Path.of("/proc/sys/net/unix/max_dgram_qlen")).trim());
            assertThat(ms).isLessThan(100);
        }
    }

    @Test
    void aHundredThousandMessageBurstIsReadWithoutLossAndForwardingDropsAreCounted() throws Exception {
        Path kmsg = Files.createFile(dir.resolve("kmsg"));
        KernelLog.useKmsg(kmsg);
        KernelLog.setLevel(LogLevel.DEBUG);
        BurstResult r = Burst.run(socket, sink, 4, 100_000);
        System.out.println("burst (host, test JVM, kernel log = file): " + r);
        assertThat(r.received()).isEqualTo(r.sent());
        SyslogStats stats = sink.stats();
        assertThat(stats.forwarded() + stats.forwardDropped()).isEqualTo(r.sent());
        assertThat(sink.recentMessages(1)).hasSize(1);
        assertThat(r.wallMillis()).isLessThan(60_000);
    }

    @Test
    void stoppingTheReaderKeepsTheSocketAndItsQueueForTheNextOwner() throws Exception {
        try (DatagramSender s = new DatagramSender(socket)) {
            s.send("<6>before stop");
            assertThat(sink.sync(SYNC)).isTrue();
            assertThat(sink.stopReader()).isTrue();
            assertThat(sink.isReading()).isFalse();
            assertThat(sink.sync(Duration.ofMillis(100))).isFalse();
            s.send("<6>after stop");
        }
        int fd = sink.fd();
        byte[] buf = new byte[256];
        long n = Native.libc().recv(fd, buf, buf.length, 0x40 /* MSG_DONTWAIT */);
        assertThat(new String(buf, 0, (int) n, StandardCharsets.UTF_8)).isEqualTo("<6>after stop");
        assertThat(sink.recentMessages(10)).containsExactly("before stop");
        assertThat(sink.stopReader()).isTrue();
    }

    @Test
    void openingTwiceOrOnAnExistingFileFails() throws Exception {
        assertThatThrownBy(sink::open).isInstanceOf(IllegalStateException.class);
        LinuxSyslogSink second = new LinuxSyslogSink(socket, Pid1Guard.system(), SyslogOptions.DEFAULT);
        assertThatThrownBy(second::open).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("syslog: cannot bind " + socket + ": ");
        second.close();
        assertThatThrownBy(second::fd).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aBrokenListenerDoesNotStopTheReader() throws Exception {
        sink.addListener(m -> {
            throw new IllegalStateException("listener bug");
        });
        try (DatagramSender s = new DatagramSender(socket)) {
            s.send("one");
            s.send("two");
        }
        assertThat(sink.sync(SYNC)).isTrue();
        assertThat(sink.recentMessages(5)).containsExactly("one", "two");
    }

    @Test
    void theQueueLengthIsRaisedOnlyWhenLower() throws BootFailure {
        Map<String, String> values = new HashMap<>();
        Sysctl fake = new Sysctl() {
            @Override
            public void write(String key, String value) {
                values.put(key, value);
            }

            @Override
            public String read(String key) {
                return values.get(key);
            }
        };
        values.put("net.unix.max_dgram_qlen", "10");
        LinuxSyslogSink.raiseQueueLength(fake, 4096);
        assertThat(values).containsEntry("net.unix.max_dgram_qlen", "4096");
        values.put("net.unix.max_dgram_qlen", "8192");
        LinuxSyslogSink.raiseQueueLength(fake, 4096);
        assertThat(values).containsEntry("net.unix.max_dgram_qlen", "8192");
        values.put("net.unix.max_dgram_qlen", "lots");
        assertThatThrownBy(() -> LinuxSyslogSink.raiseQueueLength(fake, 4096))
                .hasMessageContaining("net.unix.max_dgram_qlen").hasMessageContaining("lots");
    }

    @Test
    void optionsAreValidated() {
        assertThatThrownBy(() -> new SyslogOptions(0, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sink.watch("")).isInstanceOf(IllegalArgumentException.class);
    }
}
