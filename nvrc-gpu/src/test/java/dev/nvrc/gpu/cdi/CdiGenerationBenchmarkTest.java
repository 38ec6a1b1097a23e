package dev.nvrc.gpu.cdi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the benchmark working (a few iterations; the figures come from running its main). */
class CdiGenerationBenchmarkTest {
    @Test
    void benchmarkRunsAndReportsEveryFigure(@TempDir Path root) throws Exception {
        String report = CdiGenerationBenchmark.run(root, 2, 3);
        System.out.print(report);
        assertThat(report).contains("17 devices", "43 mounts", "first call", "median", "writeAtomically");
    }
}
