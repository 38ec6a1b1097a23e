package dev.nvrc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated tools themselves, run as real processes (harmless: they only write to files in {@code dir}). */
class NvsimTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private Path root;
    private Path log;
    private Path emptyCmdline;
    private final List<Process> processes = new ArrayList<>();
    private final List<Long> detachedPids = new ArrayList<>();
    private UnixDatagramChannel syslog;

    @BeforeEach
    void install() throws IOException {
        root = dir.resolve("root");
        SimulatedTools.install(root);
        log = dir.resolve("nvsim.log");
        emptyCmdline = Files.writeString(dir.resolve("cmdline"), "quiet\n");
    }

    @AfterEach
    void stopEverything() throws IOException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        detachedPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        if (syslog != null) {
            syslog.close();
        }
    }

    private Process start(NvsimSettings settings, Path cmdline, String tool, String... args) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(root.resolve(SimulatedTools.GUEST_PATHS.get(tool).substring(1)).toString());
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectOutput(dir.resolve("out-" + processes.size()).toFile())
                .redirectError(dir.resolve("err-" + processes.size()).toFile());
        pb.environment().clear();
        pb.environment().put("NVSIM_CMDLINE", cmdline.toString());
        if (settings != null) {
            pb.environment().putAll(settings.writeConf(dir.resolve("nvsim-" + processes.size() + ".conf")));
        }
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    private Process start(NvsimSettings settings, String tool, String... args) throws IOException {
        return start(settings, emptyCmdline, tool, args);
    }

    private static int exit(Process p) throws InterruptedException {
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).as("finished").isTrue();
        return p.exitValue();
    }

    private String stderr(Process p) throws IOException {
        return Files.readString(dir.resolve("err-" + processes.indexOf(p)));
    }

    private String stdout(Process p) throws IOException {
        return Files.readString(dir.resolve("out-" + processes.indexOf(p)));
    }

    private NvsimSettings quiet() {
        return NvsimSettings.forTest(log);
    }

    private Path bindSyslog() throws IOException {
        Path socket = dir.resolve("log.sock");
        syslog = UnixDatagramChannel.open();
        syslog.bind(new UnixSocketAddress(socket.toFile()));
        syslog.configureBlocking(false);
        return socket;
    }

    /**
     * One datagram, or null when none is queued. jnr reports an empty non-blocking socket as an
     * IOException (EAGAIN); callers poll until their own deadline, so any error reads as "none yet".
     */
    private String receiveOne() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try {
            syslog.receive(buf);
        } catch (IOException e) {
            return null;
        }
        buf.flip();
        return buf.hasRemaining() ? StandardCharsets.UTF_8.decode(buf).toString() : null;
    }

    /** Receives datagrams until one matches {@code last} (inclusive) or the wait runs out. */
    private List<String> receiveUntil(Predicate<String> last) throws Exception {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            String msg = receiveOne();
            if (msg == null) {
                Thread.sleep(2);
                continue;
            }
            got.add(msg);
            if (last.test(msg)) {
                return got;
            }
        }
        throw new AssertionError("no matching datagram within " + WAIT + "; got " + got);
    }

    /** Everything that arrives within {@code quietFor} (for "never sends the marker"). */
    private List<String> receiveFor(Duration quietFor) throws Exception {
        List<String> got = new ArrayList<>();
        long deadline = System.nanoTime() + quietFor.toNanos();
        while (System.nanoTime() < deadline) {
            String msg = receiveOne();
            if (msg == null) {
                Thread.sleep(2);
            } else {
                got.add(msg);
            }
        }
        return got;
    }

    @Test
    void listsExactlyTheToolsSimulatedToolsInstalls() throws Exception {
        Process p = new ProcessBuilder(SimulatedTools.binary().toString(), "--list").start();
        processes.add(p);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(exit(p)).isZero();
        assertThat(out.lines()).containsExactlyElementsOf(SimulatedTools.GUEST_PATHS.keySet());
    }

    @Test
    void installPutsEveryToolAtItsGuestPathOrUnderThePrefix() {
        Path ext = dir.resolve("ext");
        SimulatedTools.install(ext, "/run/kata-extensions/gpu");
        assertThat(ext.resolve("sbin/modprobe")).isExecutable();
        assertThat(ext.resolve("run/kata-extensions/gpu/bin/nvidia-smi")).isExecutable();
        assertThat(ext.resolve("run/kata-extensions/gpu/sbin/nvlsm")).isExecutable();
        assertThat(ext.resolve("bin/nvidia-smi")).doesNotExist();
        SimulatedTools.GUEST_PATHS.values().forEach(guest -> assertThat(root.resolve(guest.substring(1))).isExecutable());
    }

    @Test
    void aForegroundToolRecordsItsArgvAndSucceeds() throws Exception {
        Process p = start(quiet(), "modprobe", "--dirname", "/run/kata-extensions/gpu", "nvidia", "NVreg_NvLinkDisable=1");
        assertThat(exit(p)).isZero();
        assertThat(SimulatedTools.calls(log)).containsExactly(
                List.of("modprobe", "--dirname", "/run/kata-extensions/gpu", "nvidia", "NVreg_NvLinkDisable=1"));
        assertThat(stderr(p)).isEqualTo("NVSIM modprobe --dirname /run/kata-extensions/gpu nvidia NVreg_NvLinkDisable=1\n");
    }

    @Test
    void theLineGoesToKmsgWhenItIsWritable() throws Exception {
        Path kmsg = Files.createFile(dir.resolve("kmsg"));
        Process p = start(quiet().kmsg(kmsg.toString()), "nvidia-smi", "-pl", "300");
        assertThat(exit(p)).isZero();
        assertThat(Files.readString(kmsg)).isEqualTo("NVSIM nvidia-smi -pl 300\n");
        assertThat(stderr(p)).isEmpty();
        assertThat(stdout(p)).contains("nvidia-smi -pl 300");
    }

    @Test
    void failExitsOneWithAMessageAfterRecording() throws Exception {
        Process p = start(quiet().fail("nvidia-smi", "modprobe"), "nvidia-smi", "-lgc", "1500");
        assertThat(exit(p)).isEqualTo(1);
        assertThat(stderr(p)).contains("nvidia-smi: simulated failure");
        assertThat(SimulatedTools.calls(log)).containsExactly(List.of("nvidia-smi", "-lgc", "1500"));
    }

    @Test
    void crashExitsTwo() throws Exception {
        assertThat(exit(start(quiet().crash("all"), "modprobe", "nvidia"))).isEqualTo(2);
    }

    @Test
    void aHangingForegroundToolKeepsRunning() throws Exception {
        Process p = start(quiet().hang("nvidia-smi"), "nvidia-smi", "conf-compute", "-srs", "enabled");
        assertThat(p.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(SimulatedTools.calls(log)).containsExactly(List.of("nvidia-smi", "conf-compute", "-srs", "enabled"));
    }

    @Test
    void theKernelCommandLineConfiguresAndTheConfFileOverridesIt() throws Exception {
        Path cmdline = Files.writeString(dir.resolve("cmdline-fail"),
                "console=ttyS0 " + quiet().fail("nvidia-smi").cmdline() + " quiet\n");
        assertThat(exit(start(null, cmdline, "nvidia-smi", "-lmc", "5001"))).isEqualTo(1);
        assertThat(exit(start(NvsimSettings.defaults().fail("modprobe"), cmdline, "nvidia-smi", "-lmc", "5001")))
                .isZero();
        assertThat(SimulatedTools.calls(log)).hasSize(2);
    }

    @Test
    void nvidiaCtkWritesASpecWhereItIsTold() throws Exception {
        Path spec = dir.resolve("var/run/cdi/nvidia.yaml");
        assertThat(exit(start(quiet(), "nvidia-ctk", "-d", "cdi", "generate", "--output=" + spec))).isZero();
        assertThat(Files.readString(spec)).contains("kind: nvidia.com/gpu").contains("cdiVersion:");
    }

    @Test
    void anUnknownToolNameExits127() throws Exception {
        Process p = new ProcessBuilder(SimulatedTools.binary().toString(), "nvidia-bug-report").start();
        processes.add(p);
        assertThat(exit(p)).isEqualTo(127);
    }

    @Test
    void persistencedLogsSyslogDatagramsThenItsMarkerAndStaysUp() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket), "nvidia-persistenced", "--verbose", "--uvm-persistence-mode");
        List<String> got = receiveUntil(m -> m.contains("Local RPC services initialized"));
        String prefix = "<30>nvidia-persistenced[" + p.pid() + "]: ";
        assertThat(got).allSatisfy(m -> assertThat(m).startsWith(prefix));
        assertThat(got.get(0)).isEqualTo(prefix + "started (pid " + p.pid() + ")");
        assertThat(got.get(got.size() - 1)).isEqualTo(prefix + "Local RPC services initialized");
        assertThat(p.waitFor(200, TimeUnit.MILLISECONDS)).as("still running after its marker").isFalse();
        assertThat(SimulatedTools.calls(log))
                .containsExactly(List.of("nvidia-persistenced", "--verbose", "--uvm-persistence-mode"));
    }

    @Test
    void chatterSendsEveryLineBeforeTheMarker() throws Exception {
        Path socket = bindSyslog();
        start(quiet().syslog(socket).chatter(1000), "nv-fabricmanager", "-c", "/run/fabricmanager.cfg");
        List<String> got = receiveUntil(m -> m.contains("FM starting NvLink Inband"));
        List<String> chatter = got.stream().filter(m -> m.contains("chatter line")).toList();
        assertThat(chatter).hasSize(1000);
        assertThat(chatter.get(999)).endsWith("chatter line 1000 of 1000");
        assertThat(got).hasSize(1 + 1000 + 2 + 1);
    }

    @Test
    void delayHoldsTheMarkerBack() throws Exception {
        Path socket = bindSyslog();
        long t0 = System.nanoTime();
        start(quiet().syslog(socket).delayMs(300), "nvidia-persistenced", "--verbose");
        receiveUntil(m -> m.contains("Local RPC services initialized"));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aHangingDaemonLogsButNeverItsMarker() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket).hang("nvidia-persistenced"), "nvidia-persistenced", "--verbose");
        receiveUntil(m -> m.endsWith("device registered"));
        assertThat(receiveFor(Duration.ofMillis(500))).noneMatch(m -> m.contains("Local RPC services initialized"));
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void aCrashingDaemonExitsTwoBeforeItsMarker() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket).crash("nvidia-persistenced"), "nvidia-persistenced", "--verbose");
        assertThat(exit(p)).isEqualTo(2);
        List<String> got = receiveFor(Duration.ofMillis(200));
        assertThat(got).anyMatch(m -> m.contains("simulated crash")).noneMatch(m -> m.contains("Local RPC"));
        assertThat(stderr(p)).contains("simulated crash before readiness");
    }

    @Test
    void daemonsWithoutMarkersJustLogAndRun() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket), "nvlsm", "-F", "/usr/share/nvidia/nvlsm/nvlsm.conf", "-g", "0x1", "-f", "stdout");
        receiveUntil(m -> m.endsWith("Entering MASTER state"));
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void aDaemonWaitsForASyslogSocketThatIsBoundLate() throws Exception {
        Path socket = dir.resolve("log.sock");
        start(quiet().syslog(socket), "nvidia-persistenced", "--verbose");
        Thread.sleep(300);
        bindSyslog();
        assertThat(receiveUntil(m -> m.contains("Local RPC services initialized")).get(0)).contains("started (pid");
    }

    @Test
    void aMissingSyslogSocketFallsBackToStderr() throws Exception {
        Process p = start(quiet().syslog(dir.resolve("nobody-listens")).syslogWaitMs(100), "dcgm-exporter", "-k");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!stderr(p).contains("Starting webserver") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stderr(p)).contains("cannot connect to").contains("dcgm-exporter[" + p.pid() + "]: Starting webserver");
    }

    @Test
    void aDetachingDaemonsParentExitsZeroOnceTheChildIsReady() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket).detach("nvidia-persistenced"), "nvidia-persistenced", "--verbose");
        List<String> got = receiveUntil(m -> m.contains("Local RPC services initialized"));
        long child = Long.parseLong(got.get(0).replaceAll(".*started \\(pid (\\d+)\\)$", "$1"));
        detachedPids.add(child);
        assertThat(exit(p)).isZero();
        assertThat(child).isNotEqualTo(p.pid());
        assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).contains(true);
    }

    @Test
    void aDetachingDaemonThatCrashesMakesItsParentExitOne() throws Exception {
        Process p = start(quiet().detach("all").crash("nvidia-persistenced"), "nvidia-persistenced", "--verbose");
        assertThat(exit(p)).isEqualTo(1);
    }

    @Test
    void settingsRenderForBothChannels() {
        NvsimSettings s = NvsimSettings.defaults().fail("a", "b").chatter(3);
        assertThat(s.confText()).isEqualTo("fail=a,b\nchatter=3\n");
        assertThat(s.cmdline()).isEqualTo("nvsim.fail=a,b nvsim.chatter=3");
        assertThat(NvsimSettings.defaults().writeConf(dir.resolve("x.conf")))
                .isEqualTo(Map.of("NVSIM_CONF", dir.resolve("x.conf").toString()));
    }
}
