package dev.nvrc.gpu.cdi;

import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Prints how long the native generator takes for an 8-GPU HGX machine with a full driver install
 * (29 driver libraries among 500 others, 8 programs, 2 sockets, firmware, hooks, DRM nodes): the
 * first call in a fresh JVM (class loading included), then the median, 90th percentile and minimum of warm calls, for
 * generate+toJson and for writeAtomically (fsync included). Figures, not assertions.
 *
 * <pre>
 * mvn -q -o -pl nvrc-gpu -am test-compile dependency:build-classpath \
 *     -Dmdep.includeScope=test -Dmdep.outputFile=target/test.classpath
 * java -cp nvrc-gpu/target/test-classes:nvrc-gpu/target/classes:$(cat nvrc-gpu/target/test.classpath) \
 *     dev.nvrc.gpu.cdi.CdiGenerationBenchmark [warmup] [measured]
 * </pre>
 */
public final class CdiGenerationBenchmark {
    private CdiGenerationBenchmark() {
    }

    /** Runs the benchmark; arguments: warm-up iterations (500), measured iterations (501). */
    public static void main(String[] args) throws Exception {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 501;
        Path root = Files.createTempDirectory("nvrc-cdi-bench");
        try {
            System.out.print(run(root, warmup, measured));
        } finally {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Builds the machine under {@code root}, measures, and returns the report. */
    static String run(Path root, int warmup, int measured) throws Exception {
        NvrcPaths paths = CdiFixture.Machines.withUnrelatedLibraries(CdiFixture.Machines.hgx(root), 500).build();
        CdiSpecOptions options = CdiSteps.options(GuestLayout.detect(paths));
        Path target = paths.resolve(CdiSpecGenerator.SPEC_PATH);

        long t0 = System.nanoTime();
        CdiSpec first = CdiSpecGenerator.generate(paths, options);
        long t1 = System.nanoTime();
        String json = CdiSpecGenerator.toJson(first);
        long t2 = System.nanoTime();

        for (int i = 0; i < warmup; i++) {
            CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, options));
        }
        long[] generate = new long[measured];
        for (int i = 0; i < measured; i++) {
            long start = System.nanoTime();
            CdiSpecGenerator.toJson(CdiSpecGenerator.generate(paths, options));
            generate[i] = System.nanoTime() - start;
        }
        long[] write = new long[Math.min(measured, 101)];
        for (int i = 0; i < write.length; i++) {
            long start = System.nanoTime();
            CdiSpecGenerator.writeAtomically(first, target);
            write[i] = System.nanoTime() - start;
        }
        return String.format("CDI generation, 8 GPUs, full driver file set (%d devices, %d mounts, %d bytes of JSON)%n"
                        + "  first call in this JVM (cold)    generate %.1f ms + toJson %.1f ms%n"
                        + "  generate+toJson, warm (n=%d)    median %.3f ms  p90 %.3f ms  min %.3f ms%n"
                        + "  writeAtomically incl. fsync (n=%d) median %.3f ms  p90 %.3f ms  min %.3f ms%n",
                first.devices().size(), first.containerEdits().mounts().size(), json.length(),
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, measured, pct(generate, 50), pct(generate, 90), pct(generate, 0),
                write.length, pct(write, 50), pct(write, 90), pct(write, 0));
    }

    private static double pct(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }
}
