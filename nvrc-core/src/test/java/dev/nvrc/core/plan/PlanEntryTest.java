package dev.nvrc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanEntryTest {
    @Test
    void detailsKeepInsertionOrder() {
        PlanEntry e = PlanEntry.run("nvidia-persistenced", List.of("/bin/nvidia-persistenced", "--verbose"))
                .with("await", "Local RPC services initialized").with("timeout_s", 300).with("kind", "daemon");
        assertThat(e.details().keySet()).containsExactly("await", "timeout_s", "kind");
        assertThat(e.argv()).containsExactly("/bin/nvidia-persistenced", "--verbose");
    }

    @Test
    void withLeavesTheOriginalAlone() {
        PlanEntry base = PlanEntry.of("health", Map.of("check", "daemons"));
        PlanEntry more = base.with("extra", 1);
        assertThat(base.details()).containsOnlyKeys("check");
        assertThat(more.details()).containsOnlyKeys("check", "extra");
        assertThat(base.argv()).isEmpty();
    }
}
