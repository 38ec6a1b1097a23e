package dev.nvrc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.Config;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TrackedDaemonsTest {
    /** A minimal daemon; core cannot use the testkit's fakes (the testkit depends on core). */
    private static final class StubDaemon implements Daemon {
        private final String name;
        private final List<String> lines;
        private final List<Consumer<ExitStatus>> listeners = new ArrayList<>();
        private ExitStatus status;

        StubDaemon(String name, String... lines) {
            this.name = name;
            this.lines = List.of(lines);
        }

        void exit(ExitStatus s) {
            status = s;
            listeners.forEach(l -> l.accept(s));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long pid() {
            return 42;
        }

        @Override
        public Optional<ExitStatus> exitStatus() {
            return Optional.ofNullable(status);
        }

        @Override
        public void onExit(Consumer<ExitStatus> listener) {
            listeners.add(listener);
        }

        @Override
        public List<String> recentLines(int max) {
            return lines.subList(Math.max(0, lines.size() - max), lines.size());
        }
    }

    @Test
    void allRunningPasses() throws BootFailure {
        TrackedDaemons tracked = new TrackedDaemons();
        tracked.add(new StubDaemon("nv-hostengine"));
        tracked.checkAllRunning();
        assertThat(tracked.all()).extracting(Daemon::name).containsExactly("nv-hostengine");
    }

    @Test
    void aDaemonThatFailedFailsTheCheckWithItsStatusAndLastLines() {
        TrackedDaemons tracked = new TrackedDaemons();
        StubDaemon d = new StubDaemon("dcgm-exporter", "1", "2", "3", "4", "5", "6");
        tracked.add(new StubDaemon("nv-hostengine"));
        tracked.add(d);
        d.exit(ExitStatus.exited(1));
        assertThatThrownBy(tracked::checkAllRunning).isInstanceOf(BootFailure.class)
                .hasMessage("dcgm-exporter (pid 42) ended during the boot: exit code 1; last lines: 2 | 3 | 4 | 5 | 6");
    }

    @Test
    void aKilledDaemonFailsTheCheck() {
        TrackedDaemons tracked = new TrackedDaemons();
        StubDaemon d = new StubDaemon("nvlsm");
        tracked.add(d);
        d.exit(ExitStatus.killed(9));
        assertThatThrownBy(tracked::checkAllRunning).isInstanceOf(BootFailure.class)
                .hasMessage("nvlsm (pid 42) ended during the boot: killed by signal 9");
    }

    @Test
    void aDaemonThatDetachedWithExitZeroPassesTheCheck() throws BootFailure {
        TrackedDaemons tracked = new TrackedDaemons();
        StubDaemon persistenced = new StubDaemon("nvidia-persistenced");
        tracked.add(persistenced);
        persistenced.exit(ExitStatus.exited(0));
        tracked.checkAllRunning();
    }

    @Test
    void listenersHearOfExitsPastAndFuture() {
        TrackedDaemons tracked = new TrackedDaemons();
        StubDaemon early = new StubDaemon("early");
        StubDaemon late = new StubDaemon("late");
        tracked.add(early);
        tracked.add(late);
        early.exit(ExitStatus.killed(9));
        List<String> heard = new ArrayList<>();
        tracked.onAnyExit(d -> heard.add(d.name()));
        late.exit(ExitStatus.exited(1));
        assertThat(heard).containsExactly("early", "late");
        assertThat(TrackedDaemons.deathMessage(late, ExitStatus.exited(1))).isEqualTo("late (pid 42) ended during the boot: exit code 1");
    }

    @Test
    void aContextNeedsEverything() {
        assertThatThrownBy(() -> new BootContext(Config.defaults(), NvrcPaths.system(), null, new TrackedDaemons()))
                .isInstanceOf(NullPointerException.class).hasMessage("ports");
    }
}
