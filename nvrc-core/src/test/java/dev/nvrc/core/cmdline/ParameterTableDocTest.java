package dev.nvrc.core.cmdline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/kernel-parameters.md's parameter table lists exactly the descriptors of {@link Parameter}, in order. */
class ParameterTableDocTest {
    static final Path DOC = Path.of("../docs/kernel-parameters.md");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    /** The table's rows under "## Parameters", each split into its cells. */
    static List<List<String>> rows() throws Exception {
        List<String> lines = Files.readAllLines(DOC);
        int i = lines.indexOf("## Parameters");
        assertThat(i).as("## Parameters in %s", DOC).isNotNegative();
        while (!lines.get(i).startsWith("| parameter |")) {
            i++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            List<String> cells = new ArrayList<>();
            for (String cell : lines.get(i).substring(1).split(" \\| ")) {
                cells.add(cell.strip());
            }
            rows.add(cells);
        }
        return rows;
    }

    private static List<String> keysOf(String cell) {
        List<String> keys = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    @Test
    void firstColumnIsEveryKeyAndAliasInTableOrder() throws Exception {
        List<String> documented = new ArrayList<>();
        for (List<String> row : rows()) {
            if (row.get(0).startsWith("`nvrc.")) {
                documented.addAll(keysOf(row.get(0)));
            }
        }
        assertThat(documented).containsExactlyElementsOf(Parameter.keys());
        assertThat(rows()).last().satisfies(row -> assertThat(row.get(0))
                .isEqualTo("`kata.extension.<name>.verity_params`"));
    }

    @Test
    void aliasesAreNamedAsUpstreamsName() throws Exception {
        for (List<String> row : rows()) {
            List<String> keys = keysOf(row.get(0));
            Parameter.byKey(keys.get(0)).ifPresent(p -> {
                assertThat(keys.get(0)).isEqualTo(p.key());
                if (!p.aliases().isEmpty()) {
                    assertThat(row.get(0)).contains("or upstream's name");
                }
            });
        }
    }

    @Test
    void defaultColumnMentionsEachDescriptorsDefault() throws Exception {
        List<List<String>> rows = rows().stream().filter(r -> r.get(0).startsWith("`nvrc.")).toList();
        assertThat(rows).hasSameSizeAs(Parameter.values());
        for (int i = 0; i < rows.size(); i++) {
            Parameter p = Parameter.values()[i];
            String column = rows.get(i).get(2);
            if (p.defaultDoc().isPresent()) {
                assertThat(column).as("default of %s", p.key()).contains(p.defaultDoc().get());
            } else {
                assertThat(column).as("default of %s", p.key())
                        .containsAnyOf("not set", "set by the mode", "detected", "`" + Parameter.TIMEOUT.key() + "`");
            }
            if (p.fallback() != null) {
                assertThat(column).as("fallback of %s", p.key()).contains("`" + p.fallback().key() + "`");
            }
        }
    }

    @Test
    void descriptorsCarryTheirDocAndModes() {
        for (Parameter p : Parameter.values()) {
            assertThat(p.doc()).as(p.key()).isNotBlank().endsWith(".").doesNotContain("\n");
            assertThat(p.modes()).as(p.key()).contains(Mode.GPU);
        }
        assertThat(Parameter.MODULES.modes()).containsExactlyInAnyOrder(Mode.values());
        assertThat(Parameter.SMI_LGC.modes()).containsExactly(Mode.GPU);
        assertThat(Parameter.FM_MODE.modes()).doesNotContain(Mode.CPU).contains(Mode.NVSWITCH_NVL5);
        assertThat(Parameter.TIMEOUT_PERSISTENCED.defaultDoc()).hasValue("600");
        assertThat(Parameter.UVM_PERSISTENCE_MODE.defaultDoc()).hasValue("on");
        assertThat(Parameter.MODULES.defaultDoc()).hasValue("none");
        assertThat(Parameter.SMI_LGC.defaultDoc()).isEmpty();
    }
}
