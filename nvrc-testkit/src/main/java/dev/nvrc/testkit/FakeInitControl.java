package dev.nvrc.testkit;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.InitControl;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Records what PID 1 would do to itself. execve and powerOff only record and return: a return
 * from execve stands for the process having been replaced (the boot is over), a return from
 * powerOff for a power-off that did not happen (the fail path then parks).
 */
public final class FakeInitControl implements InitControl {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile Consumer<String> hook = event -> { };
    private volatile String execveError;

    @Override
    public void setOpenFileLimit(long soft, long hard) {
        record("rlimit NOFILE " + soft + " " + hard);
    }

    @Override
    public void setOomScoreAdj(long pid, int adj) {
        record("oom_score_adj " + pid + " " + adj);
    }

    @Override
    public void execve(String path, List<String> argv, Map<String, String> env) throws BootFailure {
        if (execveError != null) {
            throw new BootFailure("execve " + path + ": " + execveError);
        }
        record("execve " + path + " " + argv + " " + new TreeMap<>(env));
    }

    /** Makes execve fail with {@code error} (as errno text: {@code No such file or directory}). */
    public FakeInitControl execveFails(String error) {
        this.execveError = error;
        return this;
    }

    @Override
    public void powerOff() {
        record("power off");
    }

    /**
     * Runs {@code listener} on the calling thread right after each event is recorded: lets a test
     * act at an exact moment of the handoff (a daemon dying as the OOM score is set).
     */
    public FakeInitControl onEvent(Consumer<String> listener) {
        this.hook = listener;
        return this;
    }

    /** True once execve was called: the process would have been replaced. */
    public boolean replaced() {
        return events.stream().anyMatch(e -> e.startsWith("execve "));
    }

    /** True once power-off was called. */
    public boolean poweredOff() {
        return events.contains("power off");
    }

    /** Everything recorded, in order. */
    public List<String> events() {
        return List.copyOf(events);
    }

    private void record(String event) {
        events.add(event);
        hook.accept(event);
    }
}
