package dev.nvrc.vmtest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one report is of ({@link BenchReport}'s arguments): where a run's files are, how many runs,
 * which architecture, the series and where the page and the image are.
 *
 * @param logs the base series' directory ({@code nvrc-vmtest/target/bench-logs[-ARCH]})
 * @param arch the architecture booted
 * @param otherArch whether it is not this machine's: the run rewrites only its own section of the page
 * @param runs the runs of each scenario and series
 * @param doc docs/performance.md
 * @param tarball the compressed boot image
 * @param imageRoot the image's unpacked root
 * @param initrd the VM tests' initramfs of this build
 * @param series base, then the others in boot order
 */
public record BenchRun(Path logs, String arch, boolean otherArch, int runs, Path doc, Path tarball, Path imageRoot, Path initrd,
        List<BenchSeries> series) {
    private static final List<String> PATHS = List.of("--logs", "--doc", "--tarball", "--image-root", "--initrd");

    /** A run of these series (copied: the run is a value). */
    public BenchRun {
        series = List.copyOf(series);
    }

    /** The run the arguments describe; an {@link IllegalArgumentException} says what is wrong with them. */
    public static BenchRun parse(List<String> args) {
        Map<String, String> opts = new HashMap<>();
        List<String[]> more = new ArrayList<>();
        boolean other = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int values = switch (a) {
                case "--other-arch" -> 0;
                case "--lever" -> 3;
                case "--logs", "--doc", "--tarball", "--image-root", "--initrd", "--arch", "--runs", "--series" -> 1;
                default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
            };
            if (i + values >= args.size()) {
                throw new IllegalArgumentException(a + " needs " + values + " value(s)");
            }
            if (a.equals("--other-arch")) {
                other = true;
            } else if (a.equals("--lever") || a.equals("--series")) {
                more.add(args.subList(i, i + 1 + values).toArray(String[]::new));
            } else {
                opts.put(a, args.get(i + 1));
            }
            i += values;
        }
        for (String required : List.of("--logs", "--doc", "--tarball", "--image-root", "--initrd", "--arch")) {
            if (!opts.containsKey(required)) {
                throw new IllegalArgumentException(required + " is required");
            }
        }
        Map<String, Path> p = new HashMap<>();
        PATHS.forEach(k -> p.put(k, Path.of(opts.get(k))));
        Path logs = p.get("--logs");
        List<BenchSeries> series = new ArrayList<>(List.of(BenchSeries.plain(logs, BenchSeries.BASE)));
        for (String[] s : more) {
            if (series.stream().anyMatch(x -> x.name().equals(s[1]))) {
                throw new IllegalArgumentException("series " + s[1] + " given twice");
            }
            if (s[0].equals("--series")) {
                series.add(BenchSeries.plain(logs, s[1]));
            } else if (series.stream().noneMatch(x -> x.name().equals(s[2]))) {
                throw new IllegalArgumentException("lever " + s[1] + " is measured against " + s[2] + ", which comes before it in no --series or --lever");
            } else {
                series.add(BenchSeries.lever(logs, s[1], s[2], s[3]));
            }
        }
        int runs;
        if (opts.containsKey("--runs")) {
            try {
                runs = Integer.parseInt(opts.get("--runs"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--runs takes a whole number: " + opts.get("--runs"));
            }
        } else {
            runs = series.get(0).rows("cpu");
        }
        if (runs <= 0) {
            throw new IllegalArgumentException("no runs: " + logs.resolve("cpu.tsv") + " has no row (or --runs " + runs + ")");
        }
        return new BenchRun(logs, opts.get("--arch"), other, runs, p.get("--doc"), p.get("--tarball"), p.get("--image-root"),
                p.get("--initrd"), series);
    }
}
