package dev.nvrc.vmtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * One series of the boot benchmark as scripts/bench-boot.sh left it: for each scenario the raw rows
 * ({@code <scenario>.tsv}, one {@link BootFigures#tsv()} row a boot) and the consoles
 * ({@code <scenario>-<run>.log}, with the harness's {@code .outcome} beside each). The base series
 * lives in the logs directory itself, a lever's in a directory of its name below it.
 *
 * @param name {@code base}, {@code jvm-base} or a lever's name
 * @param dir where its files are
 * @param against the series a lever is measured against, empty for base and jvm-base
 * @param what what the lever is, in the doc's words; empty for base and jvm-base
 */
public record BenchSeries(String name, Path dir, Optional<String> against, Optional<String> what) {
    /** The series every run has: this build. */
    public static final String BASE = "base";

    /** A series without a comparison (base, jvm-base) under {@code logs}. */
    public static BenchSeries plain(Path logs, String name) {
        return new BenchSeries(name, dirOf(logs, name), Optional.empty(), Optional.empty());
    }

    /** A lever under {@code logs}, measured against {@code against}. */
    public static BenchSeries lever(Path logs, String name, String against, String what) {
        return new BenchSeries(name, dirOf(logs, name), Optional.of(against), Optional.of(what));
    }

    private static Path dirOf(Path logs, String name) {
        return name.equals(BASE) ? logs : logs.resolve(name);
    }

    /** The rows of {@code scenario}'s boots that handed off, split into columns; none without the file. */
    public List<List<String>> okRows(String scenario) {
        Path tsv = dir.resolve(scenario + ".tsv");
        if (!Files.isRegularFile(tsv)) {
            return List.of();
        }
        try {
            return Files.readAllLines(tsv).stream().filter(l -> l.startsWith("ok"))
                    .map(l -> Arrays.asList(l.split("\t", -1))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tsv, e);
        }
    }

    /** How many rows {@code scenario}'s file has: the runs booted (in this series). */
    public int rows(String scenario) {
        Path tsv = dir.resolve(scenario + ".tsv");
        try {
            return Files.isRegularFile(tsv) ? (int) Files.readAllLines(tsv).stream().filter(l -> !l.isEmpty()).count() : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + tsv, e);
        }
    }

    /**
     * The median of column {@code column} (1 is ok|FAIL, as {@code cut -f}) over the boots that handed
     * off; a row without that column (an older run's, before the column existed) counts as NA.
     */
    public String median(String scenario, int column) {
        return BenchStats.median(okRows(scenario).stream().map(r -> r.size() >= column ? r.get(column - 1) : BenchStats.NA).toList());
    }

    /** The consoles of runs 1 to {@code runs} of {@code scenario} that handed off, in run order. */
    public List<String> handedOff(String scenario, int runs) {
        List<String> consoles = new ArrayList<>();
        for (int i : IntStream.rangeClosed(1, runs).toArray()) {
            Path log = dir.resolve(scenario + "-" + i + ".log");
            if (Files.isRegularFile(log)) {
                String console = read(log);
                if (handedOff(dir.resolve(scenario + "-" + i + ".outcome"), console)) {
                    consoles.add(console);
                }
            }
        }
        return consoles;
    }

    /**
     * The harness's verdict ({@code .outcome}, written by {@link VmBoot}); for a console saved before
     * the harness wrote one, {@link ConsoleClassifier}'s on the console, which is how the harness decided.
     */
    static boolean handedOff(Path outcome, String console) {
        if (Files.isRegularFile(outcome)) {
            String line = read(outcome).strip();
            return line.split(" ", 2)[0].equals(Outcome.HANDOFF_OK.name());
        }
        return ConsoleClassifier.classify(console, false) == Outcome.HANDOFF_OK;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
