package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/performance.md's rewrite: the template filled, the hand-written notes and the other architecture's section kept. */
class PerformanceDocTest {
    private static final String NOTES = """
            <!-- bench-boot: notes, kept -->
            ## Notes kept between runs

            Hand-written: | a table | in the notes | {{not a slot}} |
            <!-- bench-boot: end of notes -->""";
    private static final String ARCH = """
            <!-- bench-boot: other architectures -->
            ## aarch64 (Grace guests: GH200, GB200), emulated

            old aarch64 figures
            <!-- bench-boot: end -->""";
    private static final String OLD = "# Boot performance\n\nold figures\n\n" + NOTES + "\n\n" + ARCH + "\n";

    /** Every slot of a template given the value "<name>". */
    private static Map<String, String> everySlot(String template) {
        Map<String, String> v = new java.util.HashMap<>();
        Matcher m = Pattern.compile("\\{\\{([a-z0-9_]+)}}").matcher(PerformanceDoc.template(template));
        while (m.find()) {
            v.put(m.group(1), "<" + m.group(1) + ">");
        }
        return v;
    }

    @Test
    void aRewriteKeepsTheNotesAndTheOtherArchitectureVerbatimAfterTheRunsText() {
        String page = PerformanceDoc.page(everySlot("performance.md"), "", OLD);
        assertThat(page).startsWith("# Boot performance\n\nMeasured by `scripts/bench-boot.sh <runs>` (<when>; <host>)");
        assertThat(page).doesNotContain("old figures").doesNotContain("## Levers");
        assertThat(page).endsWith("\n\n" + NOTES + "\n\n" + ARCH + "\n");
        // The run's figures went into their slots; the notes' braces are text, not a slot.
        assertThat(page).contains("| cpu boot-to-handoff <= 2.0 s | <verdict_cpu> |").contains("{{not a slot}}");
        assertThat(page.replace("{{not a slot}}", "")).doesNotContain("{{");
    }

    @Test
    void theLeversComeBeforeTheNotesWhenARunHadAny() {
        String page = PerformanceDoc.page(everySlot("performance.md"), "| lever | ... |\n|---|\n| old | ... |", OLD);
        assertThat(page).contains("\n## Levers\n\nBooted in the same run");
        assertThat(page.indexOf("| old | ... |\n\n" + NOTES)).isPositive();
    }

    @Test
    void aPageWithoutNotesGetsNone() {
        String page = PerformanceDoc.page(everySlot("performance.md"), "", "");
        assertThat(page).doesNotContain("<!-- bench-boot").endsWith("|\n");
    }

    @Test
    void anotherArchitecturesRunReplacesOnlyItsSection() {
        Map<String, String> v = everySlot("performance-arch.md");
        v.put("arch", "aarch64");
        String page = PerformanceDoc.withArchSection(OLD + "after the section\n", v);
        assertThat(page).startsWith("# Boot performance\n\nold figures\n\n" + NOTES + "\n\n<!-- bench-boot: other architectures -->\n"
                + "## aarch64 (Grace guests: GH200, GB200), emulated\n\nMeasured by `scripts/bench-boot.sh <runs> aarch64`");
        assertThat(page).doesNotContain("old aarch64 figures").endsWith("(lz4 -l).\n<!-- bench-boot: end -->\nafter the section\n");
    }

    @Test
    void aFirstRunOfAnotherArchitectureAppendsItsSection() {
        Map<String, String> v = everySlot("performance-arch.md");
        String page = PerformanceDoc.withArchSection("# Boot performance\n\nfigures\n", v);
        assertThat(page).startsWith("# Boot performance\n\nfigures\n\n<!-- bench-boot: other architectures -->\n## <arch> (")
                .endsWith("<!-- bench-boot: end -->\n");
    }

    @Test
    void aSlotWithoutAValueIsAnErrorNotABlank() {
        assertThatThrownBy(() -> PerformanceDoc.fill("a {{runs}} b {{when}}", Map.of("runs", "5")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{{when}}");
        assertThat(PerformanceDoc.fill("a {{runs}} $1 \\", Map.of("runs", "$5"))).isEqualTo("a $5 $1 \\");
    }
}
