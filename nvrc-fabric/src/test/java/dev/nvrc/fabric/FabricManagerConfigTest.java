package dev.nvrc.fabric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.api.RailPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FabricManagerConfigTest {
    private static final Map<String, String> SERVICE_VM_GREEDY = FabricManagerConfigStep.settings(1, RailPolicy.GREEDY);

    static byte[] resource(String name) {
        try (InputStream in = FabricManagerConfigTest.class.getResourceAsStream("/fabricmanager/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource fabricmanager/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"nvidia-default", "odd-spacing", "missing-keys-no-final-newline", "duplicates",
        "crlf-bom", "empty"})
    void rewritesEachShippedConfigToItsGolden(String name) {
        FabricManagerConfig.Rewrite r = FabricManagerConfig.rewrite(resource(name + ".cfg"), SERVICE_VM_GREEDY);

        assertThat(r.text()).isEqualTo(latin1(resource(name + ".servicevm-greedy.expected.cfg")));
    }

    @Test
    void gpuModeWithSymmetricRailsHasItsOwnGolden() {
        FabricManagerConfig.Rewrite r = FabricManagerConfig.rewrite(resource("nvidia-default.cfg"),
                FabricManagerConfigStep.settings(0, RailPolicy.SYMMETRIC));

        assertThat(r.text()).isEqualTo(latin1(resource("nvidia-default.gpu-symmetric.expected.cfg")));
        assertThat(r.appendedKeys()).isEmpty();
    }

    @Test
    void reportsWhichLinesWereReplacedAndWhichKeysAppended() {
        FabricManagerConfig.Rewrite r = FabricManagerConfig.rewrite(resource("odd-spacing.cfg"), SERVICE_VM_GREEDY);

        assertThat(r.replacedLines()).containsExactly(
                Map.entry("FABRIC_MODE", List.of(2)),
                Map.entry("PARTITION_RAIL_POLICY", List.of()),
                Map.entry("DAEMONIZE", List.of(6)),
                Map.entry("LOG_USE_SYSLOG", List.of(7)),
                Map.entry("STATE_FILE_NAME", List.of()));
        assertThat(r.appendedKeys()).containsExactly("PARTITION_RAIL_POLICY", "STATE_FILE_NAME");
    }

    @Test
    void replacesEveryOccurrenceOfADuplicatedKey() {
        FabricManagerConfig.Rewrite r = FabricManagerConfig.rewrite(resource("duplicates.cfg"), SERVICE_VM_GREEDY);

        assertThat(r.replacedLines().get("FABRIC_MODE")).containsExactly(1, 5, 7);
        assertThat(FabricManagerConfig.valuesOf(r.content(), "FABRIC_MODE")).containsExactly("1", "1", "1");
        assertThat(r.appendedKeys()).containsExactly("STATE_FILE_NAME");
    }

    @Test
    void keepsCrlfEndingsAndEndsAppendedLinesTheSameWay() {
        FabricManagerConfig.Rewrite r = FabricManagerConfig.rewrite(resource("crlf-bom.cfg"), SERVICE_VM_GREEDY);

        String text = r.text();
        assertThat(text.replace("\r\n", "")).doesNotContain("\n").doesNotContain("\r");
        assertThat(text).endsWith("PARTITION_RAIL_POLICY=greedy\r\nSTATE_FILE_NAME=/run/fabricmanager.state\r\n").startsWith("\u00ef\u00bb\u00bfFABRIC_MODE=1\r\n");
    }

    @Test
    void leavesAFileAloneExceptTheAssignedLines() {
        byte[] original = resource("nvidia-default.cfg");
        FabricManagerConfig.Rewrite r = FabricManagerConfig.rewrite(original, SERVICE_VM_GREEDY);

        List<String> before = latin1(original).lines().toList();
        List<String> after = r.text().lines().toList();
        assertThat(after).hasSameSizeAs(before);
        for (int i = 0; i < before.size(); i++) {
            boolean assigned = SERVICE_VM_GREEDY.keySet().stream().anyMatch(before.get(i)::startsWith);
            if (!assigned) {
                assertThat(after.get(i)).as("line %d", i + 1).isEqualTo(before.get(i));
            }
        }
    }

    @Test
    void isIdempotent() {
        byte[] once = FabricManagerConfig.rewrite(resource("odd-spacing.cfg"), SERVICE_VM_GREEDY).content();
        FabricManagerConfig.Rewrite twice = FabricManagerConfig.rewrite(once, SERVICE_VM_GREEDY);

        assertThat(twice.content()).isEqualTo(once);
        assertThat(twice.appendedKeys()).isEmpty();
    }

    @Test
    void onlyAnEqualsSignAfterTheKeyMakesAnAssignment() {
        byte[] in = "FABRIC_MODE_RESTART=1\nFABRIC_MODE:1\nFABRIC_MODE\n  # FABRIC_MODE=1\n".getBytes(StandardCharsets.UTF_8);

        FabricManagerConfig.Rewrite r = FabricManagerConfig.rewrite(in, Map.of("FABRIC_MODE", "1"));

        assertThat(r.text()).isEqualTo("FABRIC_MODE_RESTART=1\nFABRIC_MODE:1\nFABRIC_MODE\n  # FABRIC_MODE=1\nFABRIC_MODE=1\n");
    }

    @Test
    void appendsMissingKeysInTheGivenOrder() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("B_KEY", "2");
        settings.put("A_KEY", "1");

        assertThat(FabricManagerConfig.rewrite(new byte[0], settings).text()).isEqualTo("B_KEY=2\nA_KEY=1\n");
    }

    @Test
    void valuesOfSeesAnAssignmentRightAfterAByteOrderMark() {
        byte[] in = "\u00ef\u00bb\u00bfX=a\r\nX=b\r\n".getBytes(StandardCharsets.ISO_8859_1);

        assertThat(FabricManagerConfig.valuesOf(in, "X")).containsExactly("a", "b");
    }

    @Test
    void valuesOfReadsEveryAssignmentOfAKey() {
        byte[] in = " X = a # c\nX=b\nXY=c\n#X=d\n".getBytes(StandardCharsets.UTF_8);

        assertThat(FabricManagerConfig.valuesOf(in, "X")).containsExactly("a # c", "b");
        assertThat(FabricManagerConfig.valuesOf(in, "Z")).isEmpty();
    }

    @Test
    void rejectsSettingsThatWouldCorruptTheFile() {
        assertThatThrownBy(() -> FabricManagerConfig.rewrite(new byte[0], Map.of("bad key", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad key");
        assertThatThrownBy(() -> FabricManagerConfig.rewrite(new byte[0], Map.of("KEY", "1\nEVIL=2")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line break");
        assertThatThrownBy(() -> FabricManagerConfig.rewrite(new byte[0], Map.of("", "1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rewriteResultIsAValue() {
        FabricManagerConfig.Rewrite a = FabricManagerConfig.rewrite(resource("duplicates.cfg"), SERVICE_VM_GREEDY);
        FabricManagerConfig.Rewrite b = FabricManagerConfig.rewrite(resource("duplicates.cfg"), SERVICE_VM_GREEDY);

        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a.toString()).contains("FABRIC_MODE=[1, 5, 7]").contains("179 bytes");
        byte[] leaked = a.content();
        leaked[0] = 'X';
        assertThat(a.content()[0]).isEqualTo((byte) 'F');
    }
}
