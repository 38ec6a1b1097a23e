package dev.nvrc.kernel.syslog;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.kernel.Pid1Guard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmark (not a test) of the syslog reader's readiness path: the simulated nvidia-persistenced
 * (nvsim, a native process) logs CHATTER lines and then its readiness marker to a sink on a
 * scratch socket, and this prints how long after the marker left the watch woke, round by round
 * (the first round runs the reader's loop interpreted, later ones after C1 has compiled it). Run
 * by {@code scripts/bench-syslog.sh}, natively and under {@code qemu-x86_64} (an emulated CPU,
 * as in the TCG boot benchmark); needs no privilege.
 *
 * <p>Usage: {@code SyslogReaderBench NVSIM SCRATCH CHATTER ROUNDS}; {@code -Dbench.maxDatagram=N}
 * overrides the sink's longest datagram. Prints a line a round: {@code marker_us}, from the
 * marker's send(2) to the watch waking; {@code total_us}, from starting the daemon to that; the
 * datagrams {@code handled} in between and {@code per_datagram_us}, their quotient. The host's
 * net.unix.max_dgram_qlen (10 by default, where the boot sets 4096) bounds how many datagrams can
 * queue ahead of the marker, so on a host the per-datagram figure is the one to compare with a
 * boot's.
 */
public final class SyslogReaderBench {
    private static final Pattern SENT = Pattern.compile("marker-sent uptime_us=(\\d+)");
    private static final String MARKER = "Local RPC services initialized";

    private SyslogReaderBench() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: SyslogReaderBench NVSIM SCRATCH CHATTER ROUNDS");
            System.exit(2);
        }
        Path nvsim = Path.of(args[0]);
        Path scratch = Files.createDirectories(Path.of(args[1]));
        int chatter = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        SyslogOptions d = SyslogOptions.DEFAULT;
        SyslogOptions options = new SyslogOptions(d.receiveBufferBytes(),
                Integer.getInteger("bench.maxDatagram", d.maxDatagramBytes()), d.recentMessages(), d.forwardQueue());
        Path socket = scratch.resolve("log");
        Files.deleteIfExists(socket);
        try (LinuxSyslogSink sink = new LinuxSyslogSink(socket, Pid1Guard.system(), options)) {
            sink.open();
            // The boot routes every message to the daemons' recent output; a listener of the same cost.
            List<SyslogMessage> routed = new ArrayList<>();
            Consumer<SyslogMessage> route = m -> {
                if (routed.size() > 512) {
                    routed.clear();
                }
                routed.add(m);
            };
            sink.addListener(route);
            for (int round = 1; round <= rounds; round++) {
                round(nvsim, scratch, sink, chatter, round);
            }
            System.out.println("received=" + sink.stats().received());
        }
    }

    private static void round(Path nvsim, Path scratch, LinuxSyslogSink sink, int chatter, int round)
            throws IOException, InterruptedException, BootFailure {
        Path kmsg = scratch.resolve("kmsg-" + round);
        Path conf = scratch.resolve("nvsim-" + round + ".conf");
        Files.writeString(conf, "syslog=" + sink.path() + "\nkmsg=" + kmsg + "\nlog=" + scratch.resolve("nvsim.log")
                + "\nchatter=" + chatter + "\n");
        Files.writeString(kmsg, "");
        ProcessBuilder pb = new ProcessBuilder(nvsim.toString(), "nvidia-persistenced");
        pb.environment().put("NVSIM_CONF", conf.toString());
        pb.environment().put("NVSIM_CMDLINE", "/dev/null");
        pb.redirectErrorStream(true).redirectOutput(scratch.resolve("nvsim-" + round + ".out").toFile());
        long seen;
        long total;
        long handled;
        Process p;
        try (MarkerWatch watch = sink.watch(MARKER)) {
            long before = sink.stats().received();
            long start = System.nanoTime();
            p = pb.start();
            try {
                watch.await(new ProcessAsDaemon(p), Duration.ofSeconds(120));
                seen = System.nanoTime();
                total = (seen - start) / 1000;
                handled = sink.stats().received() - before;
            } finally {
                p.destroyForcibly();
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        Matcher m = SENT.matcher(Files.readString(kmsg));
        if (!m.find()) {
            throw new IllegalStateException("nvsim wrote no marker-sent note to " + kmsg);
        }
        long markerUs = seen / 1000 - Long.parseLong(m.group(1));
        System.out.printf("round=%d chatter=%d marker_us=%d total_us=%d handled=%d per_datagram_us=%.1f%n",
                round, chatter, markerUs, total, handled, (double) total / handled);
    }

    /** The watch's view of the nvsim process. */
    private record ProcessAsDaemon(Process process) implements Daemon {
        @Override
        public String name() {
            return "nvidia-persistenced";
        }

        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public Optional<ExitStatus> exitStatus() {
            return process.isAlive() ? Optional.empty() : Optional.of(ExitStatus.exited(process.exitValue()));
        }

        @Override
        public void onExit(Consumer<ExitStatus> callback) {
            process.onExit().thenAccept(done -> callback.accept(ExitStatus.exited(done.exitValue())));
        }

        @Override
        public List<String> recentLines(int max) {
            return List.of();
        }
    }
}
