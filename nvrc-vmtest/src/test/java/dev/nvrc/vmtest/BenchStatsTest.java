package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's medians, ratios and verdicts on figures as the raw rows hold them. */
class BenchStatsTest {
    @Test
    void anOddCountPicksTheMiddleFigureAsWritten() {
        // Sorted as numbers, not as text ("10.0" after "9.5"), and "2.0" stays "2.0".
        assertThat(BenchStats.median(List.of("10.0", "2.0", "9.5"))).isEqualTo("9.5");
        assertThat(BenchStats.median(List.of("1.0", "2.0", "-0.2"))).isEqualTo("1.0");
        assertThat(BenchStats.median(List.of("2.0"))).isEqualTo("2.0");
    }

    @Test
    void anEvenCountAveragesTheTwoMiddleFiguresToThreeDecimals() {
        assertThat(BenchStats.median(List.of("1.567", "1.638", "1.649", "1.793"))).isEqualTo("1.644");
        assertThat(BenchStats.median(List.of("2891", "2990"))).isEqualTo("2940.500");
    }

    @Test
    void naFiguresAreLeftOutAndNoneAtAllIsNa() {
        assertThat(BenchStats.median(List.of("NA", "3", "NA", "1", "2"))).isEqualTo("2");
        assertThat(BenchStats.median(List.of("NA", "NA"))).isEqualTo("NA");
        assertThat(BenchStats.median(List.of())).isEqualTo("NA");
        assertThat(BenchStats.median(List.of("", "4"))).isEqualTo("4");
    }

    @Test
    void aRatioNeedsBothFiguresAndANonZeroDivisor() {
        assertThat(BenchStats.ratio("1.890", "1.647")).isEqualTo("1.15");
        assertThat(BenchStats.ratio("39140", "34860")).isEqualTo("1.12");
        assertThat(BenchStats.ratio("NA", "1.647")).isEqualTo("NA");
        assertThat(BenchStats.ratio("1.890", "NA")).isEqualTo("NA");
        assertThat(BenchStats.ratio("1.890", "0")).isEqualTo("NA");
    }

    @Test
    void aVerdictIsMetUpToTheLimitInclusive() {
        assertThat(BenchStats.verdict("1.647", 2.0, " s")).isEqualTo("met (1.647 s)");
        assertThat(BenchStats.verdict("2.000", 2.0, " s")).isEqualTo("met (2.000 s)");
        assertThat(BenchStats.verdict("2.149", 2.0, " s")).isEqualTo("**not met** (2.149 s)");
        assertThat(BenchStats.verdict("NA", 2.0, " s")).isEqualTo("not measured");
    }

    @Test
    void theLargestAndThePerItemCostSkipWhatIsUnknown() {
        assertThat(BenchStats.max(List.of("34860", "NA", "37780", "9999"))).isEqualTo("37780");
        assertThat(BenchStats.max(List.of("NA"))).isEqualTo("NA");
        assertThat(BenchStats.perItem("84", "59", 7)).isEqualTo("3.6");
        assertThat(BenchStats.perItem("84", "NA", 7)).isEqualTo("NA");
    }
}
