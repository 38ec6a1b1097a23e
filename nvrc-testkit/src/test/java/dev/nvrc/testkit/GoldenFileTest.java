package dev.nvrc.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GoldenFileTest {
    @Test
    void theDiffShowsChangedLinesInPlace() {
        assertThat(GoldenFile.diff(List.of("a", "b", "c"), List.of("a", "B", "c", "d"))).isEqualTo(String.join("\n",
                "  a", "- b", "+ B", "  c", "+ d"));
    }

    @Test
    void aMissingGoldenFileSaysHowToCreateIt() {
        assertThatThrownBy(() -> GoldenFile.assertMatches("golden/no-such-file.txt", "x\n"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is missing; run with -Dgolden.update=true")
                .hasMessageEndingWith("x\n");
    }
}
