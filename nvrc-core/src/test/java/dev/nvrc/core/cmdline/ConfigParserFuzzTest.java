package dev.nvrc.core.cmdline;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser may only return a {@link BootConfig} or throw {@link InvalidCommandLineException}; any
 * other exception is a bug. Under {@code mvn test} Jazzer replays the inputs in
 * {@code ConfigParserFuzzTestInputs/} and a seeded grammar run adds 20 000 structured lines;
 * {@code mvn -Pfuzz} fuzzes for real (docs/fuzzing.md).
 */
class ConfigParserFuzzTest {
    @FuzzTest(maxDuration = "60s")
    void parse(FuzzedDataProvider data) {
        check(data.consumeRemainingAsString());
    }

    @Test
    void grammarBasedRandomLines() {
        Random random = new Random(20261125L);
        List<String> keys = new java.util.ArrayList<>(Parameter.keys());
        keys.addAll(List.of("nvrc.", "nvrc.smi.lcg", "kata.extension.gpu.verity_params", "kata.extension..verity_params",
                "quiet", "\"nvrc.mode", "nvrc.timeout.x", ""));
        List<String> values = List.of("", "gpu", "cpu", "servicevm-nvl5", "on", "OFF", "1", "0", "-1", "20000", "20001",
                "4294967296", "1e3", "300W", "\"a b\"", "\"", "greedy", "symmetric", "ctk", "=", "root_hash=a,salt=b",
                "root_hash=a,salt=b,data_blocks=1,data_block_size=1,hash_block_size=1", "\u00e9", "\u0000", "--",
                "dummy", "dummy,vsock", "a,,b", ",", "x.ko", "-r", "a,a", "foo-bar,foo_bar");
        for (int i = 0; i < 20_000; i++) {
            StringBuilder line = new StringBuilder();
            int n = random.nextInt(8);
            for (int t = 0; t < n; t++) {
                line.append(keys.get(random.nextInt(keys.size())));
                if (random.nextInt(5) > 0) {
                    line.append('=').append(values.get(random.nextInt(values.size())));
                }
                line.append(random.nextBoolean() ? " " : "\t");
            }
            check(line.toString());
        }
    }

    private static void check(String line) {
        try {
            BootConfig config = ConfigParser.parse(line);
            assertThat(config.log()).isNotNull();
            // Whatever the line, only module names reach modprobe's argv.
            assertThat(config.modules()).allSatisfy(m -> assertThat(ModuleNames.invalid(m)).isNull());
        } catch (InvalidCommandLineException e) {
            assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.message()).isNotBlank());
        }
    }
}
