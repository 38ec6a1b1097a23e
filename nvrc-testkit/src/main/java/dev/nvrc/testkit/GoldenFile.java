package dev.nvrc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a test's output with a golden file kept in the module's {@code src/test/resources}.
 *
 * <p>A mismatch fails with a unified-style line diff ({@code -} expected, {@code +} actual). Run
 * the tests with {@code -Dgolden.update=true} to rewrite the golden files from the actual output,
 * then review the change with {@code git diff} like any other code change.
 */
public final class GoldenFile {
    /** The system property that turns comparison into rewriting. */
    public static final String UPDATE_PROPERTY = "golden.update";

    private GoldenFile() {}

    /**
     * Asserts that {@code actual} equals {@code src/test/resources/<resource>} (relative to the
     * working directory, which Maven sets to the module's directory).
     */
    public static void assertMatches(String resource, String actual) {
        Path file = Path.of("src/test/resources").resolve(resource);
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                throw new AssertionError("golden file " + file.toAbsolutePath() + " is missing; run with -D"
                        + UPDATE_PROPERTY + "=true to create it from this output:\n" + actual);
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                throw new AssertionError("output differs from golden file " + file
                        + " (- expected, + actual; -D" + UPDATE_PROPERTY + "=true rewrites it):\n"
                        + diff(lines(expected), lines(actual)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(String text) {
        return List.of(text.split("\n", -1));
    }

    /** A line diff by longest common subsequence: golden files are small. */
    static String diff(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add("  " + a.get(i));
                i++;
                j++;
            } else if (j < b.size() && (i == a.size() || lcs[i][j + 1] > lcs[i + 1][j])) {
                out.add("+ " + b.get(j++));
            } else {
                out.add("- " + a.get(i++));
            }
        }
        return String.join("\n", out);
    }
}
