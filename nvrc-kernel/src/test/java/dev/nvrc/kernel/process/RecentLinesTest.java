package dev.nvrc.kernel.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RecentLinesTest {
    @Test
    void keepsTheLastLinesOldestFirst() {
        RecentLines r = new RecentLines(3);
        assertThat(r.last(5)).isEmpty();
        r.add("a");
        r.add("b");
        assertThat(r.last(5)).containsExactly("a", "b");
        r.add("c");
        r.add("d");
        assertThat(r.last(5)).containsExactly("b", "c", "d");
        assertThat(r.last(2)).containsExactly("c", "d");
        assertThat(r.last(0)).isEmpty();
        assertThat(r.last(-1)).isEmpty();
        assertThat(r.total()).isEqualTo(4);
    }

    @Test
    void capacityMustBePositive() {
        assertThatThrownBy(() -> new RecentLines(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
