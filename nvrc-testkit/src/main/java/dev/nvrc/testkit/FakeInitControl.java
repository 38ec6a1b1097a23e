package dev.nvrc.testkit;

import dev.nvrc.core.port.InitControl;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what PID 1 would do to itself; execve and powerOff only record. */
public final class FakeInitControl implements InitControl {
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void setOpenFileLimit(long soft, long hard) {
        events.add("rlimit NOFILE " + soft + " " + hard);
    }

    @Override
    public void setOomScoreAdj(long pid, int adj) {
        events.add("oom_score_adj " + pid + " " + adj);
    }

    @Override
    public void execve(String path, List<String> argv, Map<String, String> env) {
        events.add("execve " + path + " " + argv + " " + new java.util.TreeMap<>(env));
    }

    @Override
    public void powerOff() {
        events.add("power off");
    }

    /** Everything recorded, in order. */
    public List<String> events() {
        return List.copyOf(events);
    }
}
