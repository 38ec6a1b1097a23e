package dev.nvrc.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.kernel.init.LinuxInitControl;
import dev.nvrc.kernel.syslog.LinuxSyslogSink;
import dev.nvrc.kernel.syslog.SyslogOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The adapters refuse in this (ordinary, not PID 1) test JVM.
 *
 * <p>Each call is chosen so that even a broken guard would leave the host as it was: a mount on a
 * path that does not exist, limits and scores set to their current values, an execve of a missing
 * program, a sysctl that does not exist. power-off is not called here at all; the sandbox proves
 * its guard from a non-PID-1 process inside a namespace.
 */
class GuardRefusesOnHostTest {
    @TempDir
    static Path dir;
    static LinuxPorts system;

    @BeforeAll
    static void notPid1() {
        assertThat(ProcessHandle.current().pid()).isNotEqualTo(1);
        system = LinuxPorts.create(NvrcPaths.system());
    }

    private static void assertRefused(ThrowingCall call, String action) {
        assertThatThrownBy(call::run)
                .isInstanceOf(BootFailure.class)
                .hasMessageStartingWith("refusing to " + action)
                .hasMessageContaining("not PID 1")
                .hasMessageContaining("pid " + ProcessHandle.current().pid());
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void guardKnowsThisIsNotPid1() {
        assertThat(Pid1Guard.system().isPid1()).isFalse();
    }

    @Test
    void mountIsRefused() {
        Path target = dir.resolve("does-not-exist");
        assertRefused(() -> system.mounts().mount(new MountRequest("tmpfs", target.toString(), "tmpfs", 0, null, false)),
                "mount tmpfs on " + target);
        assertThat(target).doesNotExist();
    }

    @Test
    void remountIsRefused() {
        assertRefused(() -> system.mounts().remountReadOnly(dir.resolve("nothing-mounted").toString()), "remount");
    }

    @Test
    void loopbackIsRefused() {
        assertRefused(() -> system.network().loopbackUp(), "bring up the loopback interface");
    }

    @Test
    void sysctlWriteIsRefusedButReadIsNot() throws BootFailure {
        assertRefused(() -> system.sysctl().write("kernel.nvrc_guard_test_does_not_exist", "1"),
                "set sysctl kernel.nvrc_guard_test_does_not_exist");
        assertThat(system.sysctl().read("kernel.ostype")).isEqualTo("Linux");
    }

    @Test
    void rlimitIsRefused() throws BootFailure {
        LinuxInitControl init = system.init();
        long[] current = init.openFileLimit();
        assertRefused(() -> init.setOpenFileLimit(current[0], current[1]), "set RLIMIT_NOFILE");
        assertThat(init.openFileLimit()).containsExactly(current);
    }

    @Test
    void oomScoreIsRefused() throws Exception {
        int current = Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).trim());
        assertRefused(() -> system.init().setOomScoreAdj(0, current), "write oom_score_adj " + current);
    }

    @Test
    void execveIsRefused() {
        assertRefused(() -> system.init().execve("/nonexistent/nvrc-guard-test", List.of("x"), Map.of()),
                "execve /nonexistent/nvrc-guard-test");
    }

    @Test
    void bindingTheRealDevLogIsRefused() throws Exception {
        boolean existed = Files.exists(LinuxSyslogSink.DEV_LOG);
        LinuxSyslogSink sink = new LinuxSyslogSink(LinuxSyslogSink.DEV_LOG, Pid1Guard.system(), SyslogOptions.DEFAULT);
        try {
            assertRefused(sink::open, "bind /dev/log");
            assertThat(Files.exists(LinuxSyslogSink.DEV_LOG)).isEqualTo(existed);
        } finally {
            sink.close();
            if (!existed && Files.exists(LinuxSyslogSink.DEV_LOG)) {
                Files.delete(LinuxSyslogSink.DEV_LOG);
            }
        }
    }

    @Test
    void bindingElsewhereIsAllowed() throws Exception {
        try (LinuxSyslogSink sink = new LinuxSyslogSink(dir.resolve("log"), Pid1Guard.system(), SyslogOptions.DEFAULT)) {
            sink.open();
            assertThat(sink.isReading()).isTrue();
        }
    }
}
