package dev.nvrc.vmtest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A benchmark run's files as scripts/bench-boot.sh and the harness leave them, written for a test:
 * a series' rows ({@code <scenario>.tsv}) and its consoles with their {@code .outcome} files.
 */
final class BenchFixture {
    private final Path dir;

    BenchFixture(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code scenario}'s rows, tab-separated columns given with single spaces. */
    BenchFixture rows(String scenario, String... rows) {
        write(dir.resolve(scenario + ".tsv"), String.join("\n", List.of(rows).stream().map(r -> r.replace(' ', '\t')).toList()) + "\n");
        return this;
    }

    /** Writes run {@code run}'s console and, unless {@code outcome} is null, the harness's outcome line. */
    BenchFixture console(String scenario, int run, String console, String outcome) {
        write(dir.resolve(scenario + "-" + run + ".log"), console);
        if (outcome != null) {
            write(dir.resolve(scenario + "-" + run + ".outcome"), outcome + " 4.5\n");
        }
        return this;
    }

    /** A recorded console with its agent's start moved to {@code uptime} s (another run of the same boot). */
    static String withUptime(String console, String uptime) {
        return console.replaceFirst("(?m)^AGENT-UPTIME .*$", "AGENT-UPTIME " + uptime);
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
