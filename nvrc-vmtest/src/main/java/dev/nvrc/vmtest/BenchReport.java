package dev.nvrc.vmtest;

import static dev.nvrc.vmtest.BenchStats.verdict;
import static dev.nvrc.vmtest.BenchTables.HANDOFF;
import static dev.nvrc.vmtest.BenchTables.NVRC_HANDOFF;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The boot benchmark's report, what scripts/bench-boot.sh runs once its boots are done (or, with
 * {@code NVRC_BENCH_REPORT_ONLY}, on the last run's files): reads every series' rows and consoles,
 * prints the tables and rewrites docs/performance.md ({@link PerformanceDoc}): this machine's
 * architecture the whole page but its kept parts, another architecture ({@code --other-arch}) only
 * its own section.
 *
 * <pre>
 * BenchReport --logs DIR --arch ARCH [--other-arch] [--runs N] --doc FILE --tarball FILE --image-root DIR
 *             --initrd FILE [--series NAME | --lever NAME AGAINST WHAT]...
 * </pre>
 * The series in boot order after base (which is always first): {@code --series} for one measured
 * against nothing (jvm-base), {@code --lever} for a lever with the series it is measured against and
 * the doc's words for it. {@code --runs} defaults to the rows of the base series' cpu file. Exit
 * status 0, or 2 on bad arguments or what cannot be read or written (the reason on stderr).
 */
public final class BenchReport {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private BenchReport() {}

    /** Runs the report and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
    }

    /** The report of the arguments' run; the host line is this machine's. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        BenchRun r;
        try {
            r = BenchRun.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("bench-report: " + e.getMessage());
            return 2;
        }
        try {
            String doc = Files.isRegularFile(r.doc()) ? Files.readString(r.doc()) : "";
            Files.writeString(r.doc(), report(r, host(r.arch()), out, doc));
            out.println("bench-boot: wrote " + (r.otherArch() ? "the " + r.arch() + " section of " : "") + r.doc());
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("bench-report: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Prints the tables on {@code out} and returns the new page.
     *
     * @param host the host line ({@code N cores, kernel, QEMU version, TCG}) and QEMU's {@code -machine}/{@code -cpu}
     * @param doc the page as it is
     */
    static String report(BenchRun r, Host host, PrintStream out, String doc) throws IOException {
        BenchTables t = new BenchTables(r.series(), r.runs());
        String levers = t.leverTable();
        if (!levers.isEmpty()) {
            out.println();
            out.println(levers);
        }
        for (String table : List.of(t.breakdownTable(), t.stepsTable(), t.results())) {
            out.println();
            out.println(table);
        }
        ImageSizes img = ImageSizes.of(r.tarball(), r.imageRoot(), r.initrd());
        out.println();
        out.println("boot image: " + img.packedKb() + " kB compressed (" + fileName(r.tarball()) + "), " + img.unpackedKb()
                + " kB unpacked; test initramfs " + img.initrdKb() + " kB (lz4)");
        Path cpu = r.series().get(0).dir().resolve("cpu.tsv");
        Map<String, String> v = new HashMap<>();
        v.put("runs", String.valueOf(r.runs()));
        v.put("when", WHEN.format(Files.getLastModifiedTime(cpu).toInstant()));   // when the last boot ended
        v.put("host", host.line());
        v.put("table", t.results());
        v.put("packed", String.valueOf(img.packedKb()));
        v.put("unpacked", String.valueOf(img.unpackedKb()));
        v.put("initrd_kb", String.valueOf(img.initrdKb()));
        if (r.otherArch()) {
            v.put("arch", r.arch());
            v.put("qemu_machine", host.machine());
            v.put("tarball", fileName(r.tarball()));
            return PerformanceDoc.withArchSection(doc, v);
        }
        targets(t, img, v);
        v.put("breakdown_table", t.breakdownTable());
        v.put("steps_table", t.stepsTable());
        return PerformanceDoc.page(v, levers, doc);
    }

    private static String fileName(Path p) {
        return Objects.toString(p.getFileName(), p.toString());
    }

    /** The slots of the targets table: each target's verdict and the figures its reason quotes. */
    static void targets(BenchTables t, ImageSizes img, Map<String, String> v) {
        BenchSeries base = t.base();
        v.put("verdict_cpu", verdict(t.median("cpu", HANDOFF), 2.0, " s"));
        v.put("verdict_gpu", "nvrc's /init: " + verdict(t.median("gpu", NVRC_HANDOFF), 2.0, " s") + "; with the test pre-init: "
                + verdict(t.median("gpu", HANDOFF), 2.0, " s"));
        String cdi = t.stepMedian(base, "gpu", "cdi");
        v.put("verdict_cdi", verdict(cdi, 150, " ms"));
        v.put("verdict_per_gpu", verdict(BenchStats.perItem(t.stepMedian(base, "gpu8", "cdi"), cdi, 7), 10,
                " ms a GPU, (gpu8 - gpu) / 7"));
        v.put("verdict_chatty", verdict(t.median("gpu-chatty", HANDOFF), 3.5, " s"));
        v.put("verdict_chatty_marker", verdict(t.median("gpu-chatty", BenchTables.MARKER), 100, " ms"));
        v.put("verdict_quiet_marker", verdict(t.median("gpu", BenchTables.MARKER), 20, " ms"));
        v.put("verdict_drainer", verdict(t.median("gpu", BenchTables.DRAINER), 100, " kB"));
        List<String> peaks = BenchTables.SCENARIOS.stream().map(s -> t.median(s, BenchTables.PEAK_RSS)).toList();
        v.put("verdict_peak_rss", verdict(BenchStats.max(peaks), 49152, " kB, the largest scenario"));
        v.put("rss_anon_gpu", t.median("gpu", BenchTables.RSS_ANON));
        v.put("rss_file_gpu", t.median("gpu", BenchTables.RSS_FILE));
        v.put("verdict_unpacked", verdict(String.valueOf(img.unpackedKb()), 40960, " kB"));
        for (int i = 0; i < 5; i++) {
            v.put("bd_cpu_" + (i + 1), t.breakdown("cpu", i));
        }
        v.put("bd_gpu_1", t.breakdown("gpu", 0));
        v.put("bd_gpu_chatty_1", t.breakdown("gpu-chatty", 0));
        v.put("img_jvm", String.valueOf(img.jvmKb()));
        v.put("img_modules", String.valueOf(img.modulesKb()));
        v.put("img_jsa", String.valueOf(img.jsaKb()));
        v.put("img_sysroot", String.valueOf(img.sysrootKb()));
        v.put("img_jars", String.valueOf(img.jarsKb()));
        v.put("img_databind", String.valueOf(img.databindKb()));
        v.put("img_rest", String.valueOf(img.restKb()));
        v.put("img_floor", String.valueOf(img.floorKb()));
        v.put("img_above_floor", String.valueOf(40960 - img.floorKb()));
        String cpu = t.median("cpu", HANDOFF);
        // The noarchive lever's 1.31-1.55x (the notes) applied to this run's cpu boot.
        v.put("noarchive_cpu", BenchStats.known(cpu) ? String.format(Locale.ROOT, "%.1f-%.1f", Double.parseDouble(cpu) * 1.31,
                Double.parseDouble(cpu) * 1.55) : BenchStats.NA);
    }

    /**
     * What the page says of the machine: {@code line} as {@code N cores, kernel release, QEMU
     * version, TCG}, {@code machine} as QEMU's {@code -machine M -cpu C} for the architecture.
     */
    record Host(String line, String machine) {}

    /** This machine, with the QEMU the harness would run for {@code arch} ({@link Vm#command}). */
    static Host host(String arch) {
        VmConfig config = VmConfig.from(key -> key.equals("nvrc.arch") ? arch : System.getProperty(key), System.getenv());
        List<String> cmd = new Vm(config).command("");
        return new Host(Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.version") + ", "
                + qemuVersion(cmd.get(0)) + ", TCG", "-machine " + cmd.get(2) + " -cpu " + cmd.get(4));
    }

    /** The first line of {@code qemu --version} without its {@code QEMU emulator version} prefix. */
    static String qemuVersion(String qemu) {
        try {
            Process p = new ProcessBuilder(qemu, "--version").redirectErrorStream(true).start();
            String first;
            try (InputStream in = p.getInputStream()) {
                first = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return first.replace("QEMU emulator version ", "");
        } catch (IOException e) {
            return qemu + ": no version (" + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return qemu + ": no version";
        }
    }
}
