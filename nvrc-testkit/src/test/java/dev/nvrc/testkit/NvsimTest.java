package dev.nvrc.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.NvLink;
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
    private UnixDatagramChannel syslog;

    @BeforeEach
    void install() throws IOException {
        root = dir.resolve("root");
        SimulatedTools.install(root);
        log = dir.resolve("nvsim.log");
        emptyCmdline = Files.writeString(dir.resolve("cmdline"), "quiet\n");
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            dcgmPort = free.getLocalPort();
        }
    }

    @AfterEach
    void stopEverything() throws IOException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        SimulatedTools.stopAll(root);
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

    /** A free port standing in for DCGM's 5555 (a host may use 5555). */
    private int dcgmPort;

    private NvsimSettings quiet() {
        return NvsimSettings.forTest(log).root(root).dcgmPort(dcgmPort);
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

    private long pidIn(String guestPath) throws Exception {
        Path file = root.resolve(guestPath.substring(1));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return Long.parseLong(Files.readString(file).strip());
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void persistencedAlwaysForksItsParentExitsZeroOnceTheDaemonIsReadyAndTheDaemonLogsWithoutAPid() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket), "nvidia-persistenced", "--verbose", "--uvm-persistence-mode");
        List<String> got = receiveUntil(m -> m.contains("Local RPC services initialized"));
        assertThat(exit(p)).isZero();
        long daemon = pidIn("/var/run/nvidia-persistenced/nvidia-persistenced.pid");
        assertThat(daemon).isNotEqualTo(p.pid());
        assertThat(alive(daemon)).as("the forked daemon runs on").isTrue();
        assertThat(got).allSatisfy(m -> assertThat(m).matches("<(29|30)>nvidia-persistenced: .*"));
        assertThat(got.get(0)).isEqualTo("<30>nvidia-persistenced: Verbose syslog connection opened");
        assertThat(got).contains("<29>nvidia-persistenced: Started (" + daemon + ")");
        assertThat(got.get(got.size() - 1)).isEqualTo("<30>nvidia-persistenced: Local RPC services initialized");
        assertThat(stderr(p)).isEqualTo("NVSIM nvidia-persistenced --verbose --uvm-persistence-mode\n");
        assertThat(SimulatedTools.calls(log))
                .containsExactly(List.of("nvidia-persistenced", "--verbose", "--uvm-persistence-mode"));
    }

    @Test
    void persistencedLogsItsReadinessLineOnlyWithVerbose() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket), "nvidia-persistenced");
        assertThat(exit(p)).isZero();
        assertThat(receiveFor(Duration.ofMillis(300))).noneMatch(m -> m.contains("Local RPC"))
                .anyMatch(m -> m.contains("Started ("));
    }

    @Test
    void aPersistencedDaemonListedInDieEndsAfterItsParentExitedZero() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket).die("nvidia-persistenced").dieMs(200), "nvidia-persistenced", "--verbose");
        assertThat(exit(p)).isZero();
        long daemon = pidIn("/var/run/nvidia-persistenced/nvidia-persistenced.pid");
        receiveUntil(m -> m.contains("simulated death after readiness"));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (alive(daemon) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(alive(daemon)).isFalse();
    }

    @Test
    void chatterSendsEveryLineBeforeTheMarker() throws Exception {
        Path socket = bindSyslog();
        Path cfg = fmConfig("LOG_LEVEL=4", "LOG_USE_SYSLOG=1", "DAEMONIZE=0");
        start(quiet().syslog(socket).chatter(1000), "nv-fabricmanager", "-c", cfg.toString());
        List<String> got = receiveUntil(m -> m.contains("FM starting NvLink Inband"));
        List<String> chatter = got.stream().filter(m -> m.contains("chatter line")).toList();
        assertThat(chatter).hasSize(1000);
        assertThat(chatter.get(999)).endsWith("chatter line 1000 of 1000");
        assertThat(got).hasSize(1000 + 3);
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
    void aHangingPersistencedLogsButNeverItsMarkerAndItsParentWaits() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket).hang("nvidia-persistenced"), "nvidia-persistenced", "--verbose");
        receiveUntil(m -> m.endsWith("registered"));
        assertThat(receiveFor(Duration.ofMillis(500))).noneMatch(m -> m.contains("Local RPC services initialized"));
        assertThat(p.isAlive()).isTrue();
    }

    @Test
    void aPersistencedDaemonThatCrashesBeforeReadinessMakesItsParentExitOne() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket).crash("nvidia-persistenced"), "nvidia-persistenced", "--verbose");
        assertThat(exit(p)).isEqualTo(1);
        assertThat(stderr(p)).endsWith("\nnvidia-persistenced failed to initialize. Check syslog for more details.\n");
        assertThat(receiveFor(Duration.ofMillis(200))).anyMatch(m -> m.contains("simulated crash"))
                .noneMatch(m -> m.contains("Local RPC"));
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
        start(quiet().syslog(socket), "nvlsm", "-g", "0x1");
        Thread.sleep(300);
        bindSyslog();
        assertThat(receiveUntil(m -> m.endsWith("Entering MASTER state")).get(0)).contains("started (pid");
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
        Process p = start(quiet().syslog(socket).detach("nvlsm"), "nvlsm", "-g", "0x1");
        List<String> got = receiveUntil(m -> m.endsWith("Entering MASTER state"));
        long child = Long.parseLong(got.get(0).replaceAll(".*started \\(pid (\\d+)\\)$", "$1"));
        assertThat(exit(p)).isZero();
        assertThat(child).isNotEqualTo(p.pid());
        assertThat(alive(child)).isTrue();
    }

    @Test
    void aDetachingDaemonThatCrashesMakesItsParentExitOne() throws Exception {
        Process p = start(quiet().detach("all").crash("nvlsm"), "nvlsm", "-g", "0x1");
        assertThat(exit(p)).isEqualTo(1);
    }

    // --- nv-hostengine and dcgm-exporter

    @Test
    void aForegroundHostenginePrintsItsReadinessLineOnStdoutListensAndStaysUp() throws Exception {
        Files.createDirectories(root.resolve("run"));
        Process p = start(quiet(), "nv-hostengine", "-n", "--pid", "/run/nvhostengine.pid", "--log-filename",
                "/run/nv-hostengine.log");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!stdout(p).contains("Started host engine") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(stdout(p)).isEqualTo("Started host engine version 4.6.0 using port number: " + dcgmPort + "\n");
        assertThat(p.isAlive()).isTrue();
        assertThat(root.resolve("run/nv-hostengine.log")).exists();
        assertThat(root.resolve("run/nvhostengine.pid")).as("-n writes no pid file").doesNotExist();
        try (java.net.Socket client = new java.net.Socket("127.0.0.1", dcgmPort)) {
            assertThat(client.isConnected()).isTrue();
        }
    }

    @Test
    void aDaemonizingHostengineForksTwiceWritesItsPidFileAndLogsAsItsDaemonIdent() throws Exception {
        Path socket = bindSyslog();
        Files.createDirectories(root.resolve("var/run"));
        Files.createDirectories(root.resolve("var/log"));
        Process p = start(quiet().syslog(socket), "nv-hostengine");
        assertThat(exit(p)).isZero();
        long daemon = pidIn("/var/run/nvhostengine.pid");
        assertThat(alive(daemon)).isTrue();
        assertThat(receiveUntil(m -> m.contains("DCGM initialized")))
                .allSatisfy(m -> assertThat(m).startsWith("<29>nvhostengine_daemon[" + daemon + "]: "));
        // Printed before the daemon closes the console it inherited from the first process.
        assertThat(stdout(p)).isEqualTo("Started host engine version 4.6.0 using port number: " + dcgmPort + "\n");
    }

    @Test
    void aDaemonizingHostengineThatFailsStillHasItsFirstParentExitZero() throws Exception {
        Path socket = bindSyslog();
        // No /var/log under the root: the log cannot be opened, as on a read-only root.
        Process p = start(quiet().syslog(socket), "nv-hostengine");
        assertThat(exit(p)).isZero();
        assertThat(receiveUntil(m -> m.contains("failed to start embedded engine"))).anyMatch(m -> m.contains(
                "cannot open the log file /var/log/nv-hostengine.log"));
        assertThat(root.resolve("var/run/nvhostengine.pid")).doesNotExist();
        Process crash = start(quiet().syslog(socket).crash("nv-hostengine"), "nv-hostengine", "-n", "--log-filename",
                "/nv-hostengine.log");
        assertThat(exit(crash)).isEqualTo(255);
    }

    @Test
    void theExporterConnectsWithRAndExitsOneWhenNoHostengineListens() throws Exception {
        Process alone = start(quiet(), "dcgm-exporter", "-k", "-r", "localhost:5555");
        assertThat(exit(alone)).isEqualTo(1);
        assertThat(stderr(alone)).contains("Failed to connect to remote hostengine at localhost:5555");
        start(quiet(), "nv-hostengine", "-n", "--log-filename", "/he.log");
        awaitListening();
        Process connected = start(quiet(), "dcgm-exporter", "-k", "-r", "localhost:5555");
        assertThat(connected.waitFor(300, TimeUnit.MILLISECONDS)).as("runs connected").isFalse();
        assertThat(stderr(connected)).contains("Connected to remote hostengine").contains("Starting webserver");
    }

    @Test
    void theExporterRefusesToBeASecondDcgmBesideAHostengineAndNeedsItsCountersFile() throws Exception {
        start(quiet(), "nv-hostengine", "-n", "--log-filename", "/he.log");
        awaitListening();
        Process embedded = start(quiet(), "dcgm-exporter", "-k");
        assertThat(exit(embedded)).isEqualTo(1);
        assertThat(stderr(embedded)).contains("a second DCGM instance");
        Process noCounters = start(quiet(), "dcgm-exporter", "-k", "-f", "/etc/dcgm-exporter/default-counters.csv",
                "-r", "localhost:5555");
        assertThat(exit(noCounters)).isEqualTo(1);
        assertThat(stderr(noCounters)).contains("cannot read the counters file /etc/dcgm-exporter/default-counters.csv");
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                new java.net.Socket("127.0.0.1", dcgmPort).close();
                return;
            } catch (IOException e) {
                Thread.sleep(10);
            }
        }
        throw new AssertionError("nothing listens on " + dcgmPort);
    }

    // --- nv-fabricmanager

    private Path fmConfig(String... lines) throws IOException {
        Files.createDirectories(root.resolve("usr/share/nvidia/nvswitch"));
        Path cfg = dir.resolve("fm-" + processes.size() + ".cfg");
        Files.writeString(cfg, String.join("\n", lines) + "\n");
        // The config is read under the root like every file: hand it over as a guest path.
        Path guest = root.resolve("run/" + cfg.getFileName());
        Files.createDirectories(guest.getParent());
        Files.copy(cfg, guest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return Path.of("/run/" + cfg.getFileName());
    }

    @Test
    void fabricManagerLogsItsReadinessOnlyAtInfoAndOnlyToSyslogWhenToldTo() throws Exception {
        Path socket = bindSyslog();
        Process low = start(quiet().syslog(socket), "nv-fabricmanager", "-c",
                fmConfig("LOG_LEVEL=1", "LOG_USE_SYSLOG=1", "DAEMONIZE=0").toString());
        assertThat(receiveFor(Duration.ofMillis(400))).isEmpty();
        assertThat(low.isAlive()).isTrue();
        low.destroyForcibly();

        Process file = start(quiet().syslog(socket), "nv-fabricmanager", "-c",
                fmConfig("LOG_LEVEL=4", "LOG_USE_SYSLOG=0", "DAEMONIZE=0", "LOG_FILE_NAME=/fm.log").toString());
        long deadline = System.nanoTime() + WAIT.toNanos();
        Path fmLog = root.resolve("fm.log");
        while ((!Files.exists(fmLog) || !Files.readString(fmLog).contains("FM starting NvLink Inband"))
                && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(Files.readString(fmLog)).contains("[INFO]").contains("FM starting NvLink Inband");
        assertThat(receiveFor(Duration.ofMillis(100))).isEmpty();
        assertThat(file.isAlive()).isTrue();
    }

    @Test
    void fabricManagerDaemonizesUnlessTheConfigSaysNot() throws Exception {
        Path socket = bindSyslog();
        Process p = start(quiet().syslog(socket), "nv-fabricmanager", "-c",
                fmConfig("LOG_USE_SYSLOG=1").toString());
        List<String> got = receiveUntil(m -> m.contains("FM starting NvLink Inband"));
        assertThat(exit(p)).isZero();
        assertThat(got.get(0)).doesNotContain("[" + p.pid() + "]");
    }

    @Test
    void onNvlink3FabricManagerLogsTheSwitchesConfiguredButNoInbandLine() throws Exception {
        Path socket = bindSyslog();
        start(quiet().syslog(socket).fmNvlink(3), "nv-fabricmanager", "-c",
                fmConfig("LOG_USE_SYSLOG=1", "DAEMONIZE=0").toString());
        receiveUntil(m -> m.contains("Successfully configured all the available GPUs and NVSwitches"));
        assertThat(receiveFor(Duration.ofMillis(300))).noneMatch(m -> m.contains("Inband"));
    }

    @Test
    void fabricManagerNeedsItsDirectoriesAndAWritableStateFileInSharedNvswitchMode() throws Exception {
        Process noTopology = start(quiet(), "nv-fabricmanager", "-c",
                fmConfig("DAEMONIZE=0", "TOPOLOGY_FILE_PATH=/nowhere").toString());
        assertThat(exit(noTopology)).isEqualTo(1);
        assertThat(stderr(noTopology)).contains("failed to open TOPOLOGY_FILE_PATH /nowhere");
        Process noState = start(quiet(), "nv-fabricmanager", "-c",
                fmConfig("DAEMONIZE=0", "FABRIC_MODE=1", "STATE_FILE_NAME=/ro/fabricmanager.state").toString());
        assertThat(exit(noState)).isEqualTo(1);
        assertThat(stderr(noState)).contains("failed to open state file /ro/fabricmanager.state");
        Path socket = bindSyslog();
        start(quiet().syslog(socket), "nv-fabricmanager", "-c", fmConfig("DAEMONIZE=0", "LOG_USE_SYSLOG=1",
                "FABRIC_MODE=1", "STATE_FILE_NAME=/run/fabricmanager.state", "PARTITION_RAIL_POLICY=greedy").toString());
        assertThat(receiveUntil(m -> m.contains("FM starting NvLink Inband"))).noneMatch(m -> m.contains("PARTITION_RAIL"));
        assertThat(root.resolve("run/fabricmanager.state")).exists();
        start(quiet().syslog(socket), "nv-fabricmanager", "-c", fmConfig("DAEMONIZE=0", "LOG_USE_SYSLOG=1",
                "FABRIC_MODE=0", "PARTITION_RAIL_POLICY=greedy").toString());
        assertThat(receiveUntil(m -> m.contains("FM starting NvLink Inband")))
                .anyMatch(m -> m.startsWith("<28>") && m.contains("PARTITION_RAIL_POLICY is only used with FABRIC_MODE=1"));
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
