package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
import java.util.List;
import java.util.Map;

/** What only PID 1 does to itself: limits, OOM protection, the handoff and the power-off. */
public interface InitControl {
    /** Sets RLIMIT_NOFILE of this process (inherited across execve). */
    void setOpenFileLimit(long soft, long hard) throws BootFailure;

    /** Writes {@code adj} to /proc/{@code pid}/oom_score_adj ({@code pid} 0 = this process). */
    void setOomScoreAdj(long pid, int adj) throws BootFailure;

    /** Replaces this process with {@code path}; returns only by throwing. */
    void execve(String path, List<String> argv, Map<String, String> env) throws BootFailure;

    /** sync(2), then reboot(2) with RB_POWER_OFF. Never returns. */
    void powerOff();
}
