package dev.nvrc.fabric;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link FabricManagerConfig#rewrite} must accept any bytes and keep its promises: every line that
 * assigns a key becomes exactly {@code KEY=VALUE} with its line ending, every other line stays byte
 * for byte, a key no line assigns is appended once, and the result assigns each key as often as the
 * original did (at least once), always to our value.
 *
 * <p>The check compares against a second, regex-based reading of the same rules, so a bug has to
 * be made twice, in two different ways, to pass unnoticed. The settings include {@code FABRIC_MODE}
 * and {@code FABRIC_MODE_RESTART}, a key that is a prefix of another.
 */
class FabricManagerConfigFuzzTest {
    private static final Map<String, String> SETTINGS = settings();
    private static final String BOM = "\u00ef\u00bb\u00bf";
    /** A line assigning one of the keys: optional blanks, the whole key, optional blanks, '='. */
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "[ \\t]*(" + String.join("|", SETTINGS.keySet()) + ")[ \\t]*=.*", Pattern.DOTALL);
    /** A line with its ending: up to and including \n, or the unterminated rest. */
    private static final Pattern LINE = Pattern.compile("([^\\n]*?)(\\r?\\n)|([^\\n]+)\\z");

    private static Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("FABRIC_MODE", "1");
        s.put("FABRIC_MODE_RESTART", "0");
        s.put("FM_STAY_RESIDENT_ON_FAILURES", "1");
        s.put("FM_SM_MGMT_PORT_GUID", "0x0002c90300297de1");
        return s;
    }

    @FuzzTest(maxDuration = "60s")
    void rewrite(byte[] original) {
        check(original);
    }

    /** A thousand structured configs, so plain {@code mvn test} explores more than the seeds. */
    @Test
    void grammarBasedRandomConfigs() {
        Random random = new Random(20261125L);
        List<String> lines = List.of("FABRIC_MODE=0", " FABRIC_MODE = 2 # comment", "\tFABRIC_MODE\t=", "#FABRIC_MODE=1",
                "FABRIC_MODE_RESTART=1", "FABRIC_MODE_RESTARTX=1", "fabric_mode=1", "FABRIC_MODE", "FABRIC_MODE:1",
                "FM_STAY_RESIDENT_ON_FAILURES=0", "FM_SM_MGMT_PORT_GUID=", "LOG_LEVEL=4", "[section]", "", "   ",
                "\u00e9\u00ff=\u0000", "=FABRIC_MODE", "FABRIC_MODE==", "FABRIC_MODE=1\r", "\r");
        List<String> endings = List.of("\n", "\r\n", "\n", "\r\r\n");
        for (int i = 0; i < 2_000; i++) {
            StringBuilder text = new StringBuilder(random.nextInt(10) == 0 ? BOM : "");
            for (int n = random.nextInt(8); n > 0; n--) {
                text.append(lines.get(random.nextInt(lines.size()))).append(endings.get(random.nextInt(endings.size())));
            }
            if (random.nextBoolean()) {
                text.append(lines.get(random.nextInt(lines.size())));
            }
            check(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    private static void check(byte[] original) {
        FabricManagerConfig.Rewrite result = FabricManagerConfig.rewrite(original, SETTINGS);
        String text = new String(original, StandardCharsets.ISO_8859_1);
        String bom = text.startsWith(BOM) ? BOM : "";

        StringBuilder expected = new StringBuilder(bom);
        Map<String, List<Integer>> replaced = new LinkedHashMap<>();
        SETTINGS.keySet().forEach(k -> replaced.put(k, new ArrayList<>()));
        String firstEnding = null;
        String lastEnding = "";
        int number = 0;
        Matcher line = LINE.matcher(text.substring(bom.length()));
        while (line.find()) {
            number++;
            String content = line.group(1) != null ? line.group(1) : line.group(3);
            String ending = line.group(2) != null ? line.group(2) : "";
            if (firstEnding == null && !ending.isEmpty()) {
                firstEnding = ending;
            }
            lastEnding = ending;
            Matcher assignment = ASSIGNMENT.matcher(content);
            if (assignment.matches()) {
                String key = assignment.group(1);
                replaced.get(key).add(number);
                expected.append(key).append('=').append(SETTINGS.get(key)).append(ending);
            } else {
                expected.append(content).append(ending);
            }
        }
        List<String> appended = SETTINGS.keySet().stream().filter(k -> replaced.get(k).isEmpty()).toList();
        if (!appended.isEmpty()) {
            String newline = firstEnding == null ? "\n" : firstEnding;
            if (number > 0 && lastEnding.isEmpty()) {
                expected.append(newline);
            }
            appended.forEach(k -> expected.append(k).append('=').append(SETTINGS.get(k)).append(newline));
        }

        assertThat(result.text()).isEqualTo(expected.toString());
        assertThat(result.replacedLines()).isEqualTo(replaced);
        assertThat(result.appendedKeys()).isEqualTo(appended);
        byte[] content = result.content();
        SETTINGS.forEach((key, value) -> assertThat(FabricManagerConfig.valuesOf(content, key))
                .hasSize(Math.max(1, replaced.get(key).size()))
                .containsOnly(value));
        // Rewriting the result changes nothing: the rewrite is idempotent.
        assertThat(FabricManagerConfig.rewrite(content, SETTINGS).content()).isEqualTo(content);
    }
}
