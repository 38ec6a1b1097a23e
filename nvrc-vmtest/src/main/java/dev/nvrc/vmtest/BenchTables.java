package dev.nvrc.vmtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The boot benchmark's tables (docs/performance.md), in markdown, from the runs' rows and consoles:
 * the figures of each scenario, where the time of a boot goes, the largest steps, and the levers'
 * ratios. Every figure is a median over the boots that handed off.
 */
public final class BenchTables {
    /** The scenarios, in the benchmark's boot order. */
    public static final List<String> SCENARIOS = List.of("cpu", "gpu", "gpu-chatty", "gpu8");
    /** The steps of the steps table: the largest of a gpu boot. */
    static final List<String> STEPS = List.of("cdi", "cmdline", "mount /run");

    // Columns of a raw row (BootFigures#tsv, 1-based as cut -f): what the tables show.
    static final int HANDOFF = 2;
    static final int JVM_MAIN = 3;
    static final int FIRST_STEP = 4;
    static final int PEAK_RSS = 5;
    static final int DRAINER = 6;
    static final int RUN_INIT = 7;
    static final int WALL = 8;
    static final int MARKER = 9;
    static final int RSS_ANON = 10;
    static final int RSS_FILE = 11;
    static final int NVRC_HANDOFF = 12;

    private final List<BenchSeries> series;
    private final int runs;

    /**
     * @param series base first, then jvm-base and the levers in boot order
     * @param runs the runs each scenario of each series was booted
     */
    public BenchTables(List<BenchSeries> series, int runs) {
        this.series = List.copyOf(series);
        this.runs = runs;
    }

    /** The base series: this build. */
    public BenchSeries base() {
        return series.get(0);
    }

    /** The base series' median of a column of {@code scenario}. */
    public String median(String scenario, int column) {
        return base().median(scenario, column);
    }

    /** The figures of each scenario. */
    public String results() {
        List<String> rows = new ArrayList<>(List.of(
                "| scenario | ok | /init to handoff incl. the test pre-init, s | nvrc /init to handoff, s | /init to JVM main, s"
                        + " | first step, ms | JVM VmHWM, kB | JVM RssAnon / file pages, kB | drainer RssAnon, kB"
                        + " | marker seen after, ms | kernel Run /init, s | QEMU wall, s |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|"));
        for (String s : SCENARIOS) {
            int oks = base().okRows(s).size();
            rows.add(row(s, oks + "/" + runs, median(s, HANDOFF), median(s, NVRC_HANDOFF), median(s, JVM_MAIN),
                    median(s, FIRST_STEP), median(s, PEAK_RSS), median(s, RSS_ANON) + " / " + median(s, RSS_FILE),
                    median(s, DRAINER), median(s, MARKER), median(s, RUN_INIT), median(s, WALL)));
        }
        return String.join("\n", rows);
    }

    /** The median of the breakdown's figure {@code index} (0: /init to main(), ... 4: the last step to the agent). */
    public String breakdown(String scenario, int index) {
        return BenchStats.median(base().handedOff(scenario, runs).stream().map(BootBreakdown::of).flatMap(Optional::stream)
                .map(b -> String.valueOf(b.values().get(index))).toList());
    }

    /** Where the time of a boot goes, this build. */
    public String breakdownTable() {
        List<String> rows = new ArrayList<>(List.of("| scenario | /init to main() | main() to the first step | first step (mount /proc)"
                + " | the other steps | last step to the agent |", "|---|---|---|---|---|---|"));
        for (String s : SCENARIOS) {
            List<String> cells = new ArrayList<>(List.of(s));
            for (int i = 0; i < 5; i++) {
                cells.add(breakdown(s, i));
            }
            rows.add(row(cells.toArray(String[]::new)));
        }
        return String.join("\n", rows);
    }

    /** The median {@code duration_ms} of {@code step} in {@code scenario}'s boots of {@code s} that handed off. */
    public String stepMedian(BenchSeries s, String scenario, String step) {
        return BenchStats.median(s.handedOff(scenario, runs).stream().map(c -> BootBreakdown.stepMs(c, step))
                .filter(v -> v.isPresent()).map(v -> String.valueOf(v.getAsLong())).toList());
    }

    /** The largest steps of every series and scenario. */
    public String stepsTable() {
        List<String> rows = new ArrayList<>(List.of("| series | scenario | cdi, ms | cmdline, ms | mount /run, ms |", "|---|---|---|---|---|"));
        for (BenchSeries s : series) {
            for (String scenario : SCENARIOS) {
                List<String> cells = new ArrayList<>(List.of(s.name(), scenario));
                STEPS.forEach(step -> cells.add(stepMedian(s, scenario, step)));
                rows.add(row(cells.toArray(String[]::new)));
            }
        }
        return String.join("\n", rows);
    }

    /**
     * Each lever's medians and their ratio to the series it is measured against; empty without a
     * lever. A handoff cell adds nvrc's /init to handoff and its ratio where either series has it.
     */
    public String leverTable() {
        List<String> rows = new ArrayList<>();
        for (BenchSeries s : series) {
            if (s.against().isEmpty()) {
                continue;
            }
            BenchSeries against = byName(s.against().get());
            List<String> cells = new ArrayList<>(List.of(s.name(), s.what().orElse("")));
            for (String scenario : SCENARIOS) {
                String t = s.median(scenario, HANDOFF);
                StringBuilder cell = new StringBuilder(t + " s (**" + BenchStats.ratio(t, against.median(scenario, HANDOFF)) + "×**)");
                String n = s.median(scenario, NVRC_HANDOFF);
                String r = against.median(scenario, NVRC_HANDOFF);
                if (BenchStats.known(n)) {
                    cell.append("; nvrc /init ").append(n).append(" s (").append(BenchStats.ratio(n, r)).append("×)");
                } else if (BenchStats.known(r)) {
                    // An initramfs older than the VMTEST-EXEC-INIT line: its boots have no such figure.
                    cell.append("; nvrc /init: not in this initramfs");
                }
                cells.add(cell.toString());
            }
            for (String scenario : SCENARIOS) {
                String h = s.median(scenario, PEAK_RSS);
                cells.add(h + " (" + BenchStats.ratio(h, against.median(scenario, PEAK_RSS)) + "×)");
            }
            cells.add(s.median("gpu-chatty", MARKER) + " ms (vs " + against.median("gpu-chatty", MARKER) + ")");
            int oks = SCENARIOS.stream().mapToInt(scenario -> s.okRows(scenario).size()).sum();
            cells.add(oks + "/" + runs * SCENARIOS.size());
            rows.add(row(cells.toArray(String[]::new)));
        }
        if (rows.isEmpty()) {
            return "";
        }
        return "| lever | what | cpu handoff (ratio) | gpu handoff (ratio) | gpu-chatty handoff (ratio) | gpu8 handoff (ratio)"
                + " | cpu VmHWM kB | gpu VmHWM kB | gpu-chatty VmHWM kB | gpu8 VmHWM kB | chatty marker seen after | ok |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|\n" + String.join("\n", rows);
    }

    private BenchSeries byName(String name) {
        return series.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no series " + name));
    }

    private static String row(String... cells) {
        return "| " + List.of(cells).stream().collect(Collectors.joining(" | ")) + " |";
    }
}
