package dev.nvrc.plan.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.Daemon;
import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.api.Settings;
import dev.nvrc.gpu.api.NvidiaCdiSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The api's calls keep no state between calls and its values do not change (docs/library.md):
 * many threads parsing, reading, deciding, generating and planning at once, and sharing the values
 * they got, all see what one thread alone sees.
 */
class ApiConcurrencyTest {
    private static final int THREADS = 16;
    private static final int ROUNDS = 40;
    private static final String CMDLINE = "nvrc.dcgm=on nvrc.smi.lgc=1980 nvrc.timeout=120";

    @TempDir
    Path root;

    /** What one round computes, compared as a whole. */
    private record Round(Settings settings, PciTopology topology, ModeDecision mode, String cdi, GuestPlan plan,
            Object persistencedWait, String sharedPlanJson) {}

    @Test
    void manyThreadsSeeWhatOneSees() throws Exception {
        GuestPlanTest.MinimalDriver.twoGpus(root);
        GuestPlan shared = GuestPlan.of(CMDLINE, root);
        Callable<Round> round = () -> {
            Settings settings = Settings.parse(CMDLINE);
            PciTopology topology = PciTopology.read(root);
            return new Round(settings, topology, ModeDecision.decide(settings, topology),
                    NvidiaCdiSpec.generate(root).toJson(), GuestPlan.of(CMDLINE, root),
                    settings.readinessTimeout(Daemon.NVIDIA_PERSISTENCED), shared.toJson());
        };
        Round alone = round.call();

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<Round>>> results = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    List<Round> rounds = new ArrayList<>();
                    for (int i = 0; i < ROUNDS; i++) {
                        rounds.add(round.call());
                    }
                    return rounds;
                }));
            }
            start.countDown();
            for (Future<List<Round>> result : results) {
                assertThat(result.get()).hasSize(ROUNDS).containsOnly(alone);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(alone.plan()).isEqualTo(shared);
    }
}
