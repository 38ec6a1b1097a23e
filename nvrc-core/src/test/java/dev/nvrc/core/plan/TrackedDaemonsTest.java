package dev.nvrc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TrackedDaemonsTest {
    /** A daemon whose death the test triggers. */
    static final class TestDaemon implements Daemon {
        final List<Consumer<ExitStatus>> listeners = new ArrayList<>();
        ExitStatus status;
        long pid = 42;

        @Override
        public String name() {
            return "nvidia-persistenced";
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public Optional<ExitStatus> exitStatus() {
            return Optional.ofNullable(status);
        }

        @Override
        public void onExit(Consumer<ExitStatus> listener) {
            listeners.add(listener);
            if (status != null) {
                listener.accept(status); // the port's contract: at once when it has ended already
            }
        }

        @Override
        public List<String> recentLines(int max) {
            return List.of("Started", "failed to open /dev/nvidiactl");
        }

        void die(ExitStatus s) {
            status = s;
            listeners.forEach(l -> l.accept(s));
        }
    }

    @Test
    void runningDaemonsPassTheCheck() {
        TrackedDaemons daemons = new TrackedDaemons();
        daemons.add(new TestDaemon());
        assertThatCode(daemons::checkHealthy).doesNotThrowAnyException();
        assertThat(daemons.all()).hasSize(1);
    }

    @Test
    void aDeadDaemonFailsTheCheckWithItsStatusAndLastLines() {
        TrackedDaemons daemons = new TrackedDaemons();
        TestDaemon d = new TestDaemon();
        daemons.add(d);
        d.die(ExitStatus.exited(1));
        assertThatThrownBy(daemons::checkHealthy).isInstanceOf(BootFailure.class)
                .hasMessage("nvidia-persistenced (pid 42) ended during the boot: exit code 1; "
                        + "last lines: Started | failed to open /dev/nvidiactl");
    }

    @Test
    void aLauncherThatExitedZeroAfterForkingIsHealthyButOneThatFailedIsNot() {
        TrackedDaemons daemons = new TrackedDaemons();
        TestDaemon launcher = new TestDaemon();
        daemons.addLauncher(launcher);
        List<Daemon> heard = new ArrayList<>();
        daemons.onFailure(heard::add);
        launcher.die(ExitStatus.exited(0));
        assertThatCode(daemons::checkHealthy).doesNotThrowAnyException();
        assertThat(heard).isEmpty();

        TestDaemon failed = new TestDaemon();
        daemons.addLauncher(failed);
        failed.die(ExitStatus.exited(1));
        assertThat(heard).containsExactly(failed);
        assertThatThrownBy(daemons::checkHealthy).hasMessageStartingWith("nvidia-persistenced (pid 42) ended during the"
                + " boot: exit code 1");
    }

    @Test
    void aDaemonThatEndsWithStatusZeroHasDiedAndFailsTheCheck() {
        TrackedDaemons daemons = new TrackedDaemons();
        TestDaemon d = new TestDaemon();
        daemons.add(d);
        List<Daemon> heard = new ArrayList<>();
        daemons.onFailure(heard::add);
        d.die(ExitStatus.exited(0));
        assertThat(heard).containsExactly(d);
        assertThatThrownBy(daemons::checkHealthy).isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("nvidia-persistenced (pid 42) ended during the boot: exit code 0");
    }

    @Test
    void listenersHearOfFailuresBeforeAndAfterRegistering() {
        TrackedDaemons daemons = new TrackedDaemons();
        TestDaemon early = new TestDaemon();
        daemons.add(early);
        early.die(ExitStatus.killed(9));
        List<Daemon> heard = new ArrayList<>();
        daemons.onFailure(heard::add);
        TestDaemon late = new TestDaemon();
        daemons.add(late);
        late.die(ExitStatus.exited(2));
        assertThat(heard).containsExactly(early, late);
    }

    @Test
    void planEntriesAreImmutableData() {
        PlanEntry e = PlanEntry.run("modprobe nvidia", List.of("/sbin/modprobe", "nvidia")).with("timeout_s", 60);
        assertThat(e.details()).containsExactly(Map.entry("timeout_s", 60));
        assertThat(PlanEntry.of("mount /proc", Map.of("fstype", "proc")).argv()).isEmpty();
        assertThatThrownBy(() -> e.details().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bootContextNeedsEverything() {
        assertThatThrownBy(() -> new BootContext(BootConfig.defaults(), NvrcPaths.system(), null, new TrackedDaemons()))
                .isInstanceOf(NullPointerException.class);
    }
}
