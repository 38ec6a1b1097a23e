package dev.nvrc.vmtest;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One boot's figures for the boot benchmark (scripts/bench-boot.sh, docs/performance.md), read from
 * its console: the agent's lines, the boot report the agent printed and the simulated
 * persistenced's marker line. {@link #tsv()} is the benchmark's raw row; a figure the console lacks
 * is {@code NA}.
 *
 * @param ok whether the boot handed off ({@link Outcome#HANDOFF_OK})
 * @param handoffS the agent's start minus the kernel's {@code Run /init}, s
 * @param jvmMainS {@code jvm_main_uptime_ms} of the report minus {@code Run /init}, s
 * @param firstStepMs {@code first_step_ms} of the report
 * @param peakRssKb {@code jvm_peak_rss_kb} of the report
 * @param drainerRssAnonKb {@code AGENT-DRAINER-RSS-ANON}, as printed
 * @param runInitS {@code AGENT-KERNEL-RUN-INIT}, as printed
 * @param wallS QEMU's wall time, s
 * @param markerMs when the init saw nvidia-persistenced's readiness marker (the report's
 *     {@code ready_ms}; an older report: the step's end) minus when the simulated daemon sent it, ms
 * @param rssAnonKb {@code jvm_rss_anon_kb} of the report
 * @param rssFileKb {@code jvm_rss_file_kb} plus {@code jvm_rss_shmem_kb} (a tmpfs root's file pages count as shared memory)
 * @param nvrcHandoffS the agent's start minus nvrc's /init's: minus the last {@code VMTEST-EXEC-INIT} line (the
 *     test pre-init or the bench's JVM wrapper, just before it execs nvrc's /init), or, where the kernel ran
 *     nvrc's /init itself (no {@code rdinit=}), the same as {@code handoffS}; empty when a wrapper ran but
 *     printed no such line (an initramfs older than the line)
 */
public record BootFigures(boolean ok, OptionalDouble handoffS, OptionalDouble jvmMainS, OptionalLong firstStepMs,
        OptionalLong peakRssKb, Optional<String> drainerRssAnonKb, Optional<String> runInitS, double wallS,
        OptionalDouble markerMs, OptionalLong rssAnonKb, OptionalLong rssFileKb, OptionalDouble nvrcHandoffS) {
    private static final Pattern MARKER_SENT = Pattern.compile("NVSIM nvidia-persistenced marker-sent uptime_us=(\\d+)");
    /** The report's daemon entry, as the agent prints it (pretty JSON, one field a line). */
    private static final Pattern READY = Pattern.compile(
            "\"name\" : \"nvidia-persistenced\",\\s*\"pid\" : \\d+,\\s*\"ready_ms\" : (\\d+)");
    private static final Pattern DIGITS = Pattern.compile("[^0-9]");
    private static final Pattern EXEC_INIT = Pattern.compile("(?m)^VMTEST-EXEC-INIT (-?[0-9.]+)");
    /** A kernel parameter that makes the kernel run another program than /init (the test pre-init, the bench's wrapper). */
    private static final Pattern RDINIT = Pattern.compile("(^|\\s)rdinit=");

    /** The figures of {@code run}. */
    public static BootFigures of(VmRun run) {
        String console = run.console();
        Optional<String> runInit = marker(console, "AGENT-KERNEL-RUN-INIT");
        Optional<String> uptime = marker(console, "AGENT-UPTIME");
        OptionalDouble r = runInit.map(v -> OptionalDouble.of(Double.parseDouble(v))).orElse(OptionalDouble.empty());
        OptionalDouble handoff = r.isPresent() && uptime.isPresent()
                ? OptionalDouble.of(Double.parseDouble(uptime.get()) - r.getAsDouble()) : OptionalDouble.empty();
        OptionalLong mainUp = json(console, "jvm_main_uptime_ms");
        OptionalDouble jvm = mainUp.isPresent() && r.isPresent()
                ? OptionalDouble.of(mainUp.getAsLong() / 1000.0 - r.getAsDouble()) : OptionalDouble.empty();
        OptionalLong file = json(console, "jvm_rss_file_kb");
        OptionalLong shmem = json(console, "jvm_rss_shmem_kb");
        OptionalLong files = file.isPresent() && shmem.isPresent() ? OptionalLong.of(file.getAsLong() + shmem.getAsLong()) : file;
        return new BootFigures(run.outcome() == Outcome.HANDOFF_OK, handoff, jvm, json(console, "first_step_ms"),
                json(console, "jvm_peak_rss_kb"), marker(console, "AGENT-DRAINER-RSS-ANON"), runInit,
                run.wallTime().toMillis() / 1000.0, markerDelay(console), json(console, "jvm_rss_anon_kb"), files,
                nvrcHandoff(console, run.cmdline(), uptime, handoff));
    }

    /**
     * The agent's start minus the start of nvrc's /init. The kernel's {@code Run /init} is the start of
     * whatever {@code rdinit=} names: in the gpu scenarios the test pre-init (a shell that mounts and
     * bind-mounts the simulated hardware) and for a JVM-flag lever the bench's wrapper; each prints
     * {@code VMTEST-EXEC-INIT <uptime>} just before it execs the next program, so the last such line is
     * when nvrc's /init started.
     */
    static OptionalDouble nvrcHandoff(String console, String cmdline, Optional<String> uptime, OptionalDouble handoff) {
        Matcher m = EXEC_INIT.matcher(console);
        String exec = null;
        while (m.find()) {
            exec = m.group(1);
        }
        if (exec != null) {
            return uptime.isPresent() ? OptionalDouble.of(Double.parseDouble(uptime.get()) - Double.parseDouble(exec))
                    : OptionalDouble.empty();
        }
        return RDINIT.matcher(cmdline).find() ? OptionalDouble.empty() : handoff;
    }

    /**
     * The benchmark's row: ok|FAIL, then the figures in the order of the record, tab-separated (the last
     * column came last so that the rows of older runs, without it, still read the same).
     */
    public String tsv() {
        return String.join("\t", List.of(ok ? "ok" : "FAIL", fixed(handoffS, 3), fixed(jvmMainS, 3), whole(firstStepMs),
                whole(peakRssKb), drainerRssAnonKb.orElse("NA"), runInitS.orElse("NA"),
                String.format(Locale.ROOT, "%.1f", wallS), fixed(markerMs, 1), whole(rssAnonKb), whole(rssFileKb),
                fixed(nvrcHandoffS, 3)));
    }

    /** The number after {@code NAME } at the start of a line (the first such line). */
    static Optional<String> marker(String console, String name) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " (-?[0-9.]+)").matcher(console);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The first {@code "key" : N} of the console (the boot report as the agent printed it). */
    static OptionalLong json(String console, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\" : (-?[0-9]+)").matcher(console);
        return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * When the init saw nvidia-persistenced's marker minus when the simulated daemon sent it, ms;
     * empty without either. The seen time is the report's {@code ready_ms} of the daemon; a report
     * from before that field gives the persistenced step's end instead (the same moment then: the
     * step ended at the marker).
     */
    static OptionalDouble markerDelay(String console) {
        Matcher sent = MARKER_SENT.matcher(console);
        if (!sent.find()) {
            return OptionalDouble.empty();
        }
        Matcher seen = READY.matcher(console);
        if (seen.find()) {
            return OptionalDouble.of(Long.parseLong(seen.group(1)) - Long.parseLong(sent.group(1)) / 1000.0);
        }
        Long start = null;
        boolean inStep = false;
        for (String line : console.lines().toList()) {
            if (line.contains("\"step\" : \"nvidia-persistenced\"")) {
                inStep = true;
            } else if (inStep && line.contains("\"start_ms\"")) {
                start = Long.parseLong(DIGITS.matcher(line).replaceAll(""));
            } else if (inStep && start != null && line.contains("\"duration_ms\"")) {
                long ready = start + Long.parseLong(DIGITS.matcher(line).replaceAll(""));
                return OptionalDouble.of(ready - Long.parseLong(sent.group(1)) / 1000.0);
            }
        }
        return OptionalDouble.empty();
    }

    private static String fixed(OptionalDouble v, int decimals) {
        return v.isPresent() ? String.format(Locale.ROOT, "%." + decimals + "f", v.getAsDouble()) : "NA";
    }

    private static String whole(OptionalLong v) {
        return v.isPresent() ? String.valueOf(v.getAsLong()) : "NA";
    }
}
