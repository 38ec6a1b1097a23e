package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.TrackedDaemons;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ports that record what a step asks of them as one line each (core's tests cannot use
 * nvrc-testkit, which depends on core); {@link #failing} names the calls that fail.
 */
public final class RecordingPorts {
    /** What the steps asked, in order. */
    public final List<String> events = new ArrayList<>();
    /** Prefixes of the calls that throw a BootFailure (e.g. {@code "run veritysetup"}). */
    public final Set<String> failing = new HashSet<>();
    /** Keys {@link Sysctl#writeIfPresent} finds absent. */
    public final Set<String> absentKeys = new HashSet<>();

    private void record(String event) throws BootFailure {
        events.add(event);
        for (String prefix : failing) {
            if (event.startsWith(prefix)) {
                throw new BootFailure(event + ": refused");
            }
        }
    }

    /** A context on the machine at {@code root} with these ports. */
    public BootContext context(Path root) {
        Mounts mounts = new Mounts() {
            @Override
            public boolean mount(MountRequest r) throws BootFailure {
                record("mount " + r.source() + " " + r.target() + " " + r.fsType() + " 0x" + Long.toHexString(r.flags()));
                return true;
            }

            @Override
            public void remountReadOnly(String target) throws BootFailure {
                record("remount ro " + target);
            }

            @Override
            public Set<String> filesystems() {
                return Set.of();
            }
        };
        Network network = () -> record("loopback up");
        Sysctl sysctl = new Sysctl() {
            @Override
            public void write(String key, String value) throws BootFailure {
                record("sysctl " + key + "=" + value);
            }

            @Override
            public boolean writeIfPresent(String key, String value) throws BootFailure {
                if (absentKeys.contains(key)) {
                    return false;
                }
                write(key, value);
                return true;
            }

            @Override
            public String read(String key) {
                throw new AssertionError("no step reads " + key);
            }
        };
        ProcessRunner processes = new ProcessRunner() {
            @Override
            public void run(Command command, Duration timeout) throws BootFailure {
                record("run " + command.name() + ": " + command.commandLine() + " within " + timeout.toSeconds() + " s");
            }

            @Override
            public Daemon start(Command command) {
                throw new AssertionError("no daemon here");
            }
        };
        SyslogSink syslog = new SyslogSink() {
            @Override
            public void bind() {
                throw new AssertionError("no step here binds /dev/log");
            }

            @Override
            public int releaseToDrainer() {
                throw new AssertionError("no step here hands /dev/log on");
            }

            @Override
            public MarkerWatch watch(String marker) {
                throw new AssertionError("no marker here");
            }

            @Override
            public List<String> recentMessages(int max) {
                return List.of();
            }
        };
        InitControl init = new InitControl() {
            @Override
            public void setOpenFileLimit(long soft, long hard) {}

            @Override
            public void setOomScoreAdj(long pid, int adj) {}

            @Override
            public void execve(String path, List<String> argv, Map<String, String> env) {}

            @Override
            public void powerOff() {}
        };
        return new BootContext(BootConfig.defaults(), NvrcPaths.under(root), new Ports(mounts, network, sysctl, processes,
                syslog, init, (path, major, minor, mode) -> {
                    throw new AssertionError("no device nodes here");
                }), new TrackedDaemons());
    }
}
