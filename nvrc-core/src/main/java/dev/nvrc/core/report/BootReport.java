package dev.nvrc.core.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Collects what the boot did: each step's start and duration, the mode, the daemons with their
 * pids, the CDI spec path and the result. Times are whatever the clock given says; the boot gives
 * CLOCK_MONOTONIC in ms (ms since the kernel booted, the clock of the kernel log's timestamps), so
 * steps line up with the kernel's {@code Run /init as init process} line.
 *
 * <p>Thread-safe: daemons can die on the reaper thread while the main thread records steps.
 */
public final class BootReport {
    private final LongSupplier clockMs;
    private final List<StepRecord> steps = new ArrayList<>();
    private final Map<String, DaemonRecord> daemons = new LinkedHashMap<>();
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private String result = "running";
    private String failedStep;
    private String failure;

    /** A report timed by {@code clockMs} (CLOCK_MONOTONIC in ms on a guest). */
    public BootReport(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    /** The report's clock, in ms. */
    public long nowMs() {
        return clockMs.getAsLong();
    }

    /** Records a finished step. */
    public synchronized void step(String name, long startMs, long durationMs, boolean ok) {
        steps.add(new StepRecord(name, startMs, durationMs, ok));
    }

    /** A daemon as the report lists it; {@code readyMs} empty when nothing awaited its readiness. */
    private record DaemonRecord(long pid, OptionalLong readyMs) {}

    /** Records a started daemon. */
    public void daemon(String name, long pid) {
        daemon(name, pid, OptionalLong.empty());
    }

    /**
     * Records a started daemon and when the boot saw its readiness ({@code readyMs}, this report's
     * clock; empty when the boot did not await it).
     */
    public synchronized void daemon(String name, long pid, OptionalLong readyMs) {
        daemons.put(name, new DaemonRecord(pid, readyMs));
    }

    /** Records a fact of the boot ({@code mode}, {@code cdi_spec}, {@code jvm_peak_rss_kb}, ...). */
    public synchronized void fact(String key, Object value) {
        facts.put(key, value);
    }

    /** Marks the boot as handed off to the agent. */
    public synchronized void handedOff() {
        result = "handoff";
    }

    /** Marks the boot as failed in {@code step} for {@code reason}. */
    public synchronized void failed(String step, String reason) {
        result = "failed";
        failedStep = step;
        failure = reason;
    }

    /** Steps recorded so far, in order. */
    public synchronized List<StepRecord> steps() {
        return List.copyOf(steps);
    }

    /** {@code running}, {@code handoff} or {@code failed}. */
    public synchronized String result() {
        return result;
    }

    /**
     * The report as plain data for JSON: {@code result}, the facts, {@code steps} (name, start_ms,
     * duration_ms, ok), {@code daemons} (name, pid, and {@code ready_ms} when the boot awaited its readiness) and, after a failure, {@code failed_step} and
     * {@code failure}.
     */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("result", result);
        out.putAll(facts);
        List<Map<String, Object>> stepList = new ArrayList<>();
        for (StepRecord s : steps) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.step());
            m.put("start_ms", s.startMs());
            m.put("duration_ms", s.durationMs());
            m.put("ok", s.ok());
            stepList.add(m);
        }
        out.put("steps", stepList);
        List<Map<String, Object>> daemonList = new ArrayList<>();
        daemons.forEach((name, d) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("pid", d.pid());
            d.readyMs().ifPresent(ms -> m.put("ready_ms", ms));
            daemonList.add(m);
        });
        out.put("daemons", daemonList);
        if (failedStep != null) {
            out.put("failed_step", failedStep);
            out.put("failure", failure);
        }
        return out;
    }

    /** One line for the kernel log: result, total time, step count, daemons. */
    public synchronized String summary() {
        long total = steps.isEmpty() ? 0 : steps.get(steps.size() - 1).startMs() + steps.get(steps.size() - 1).durationMs();
        Map<String, Long> pids = new LinkedHashMap<>();
        daemons.forEach((name, d) -> pids.put(name, d.pid()));
        return "boot " + result + " after " + total + " ms: " + steps.size() + " steps, daemons " + pids
                + (facts.containsKey("mode") ? ", mode " + facts.get("mode") : "");
    }
}
