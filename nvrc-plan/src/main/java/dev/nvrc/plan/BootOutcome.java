package dev.nvrc.plan;

import java.util.concurrent.atomic.AtomicReference;

/**
 * How the boot ends, decided exactly once: a failure (one FAILED line, then power-off) or the
 * handoff (execve of kata-agent). Both sides race: a daemon dies on the reaper thread while the
 * main thread runs the last steps. Whichever claims the outcome first wins, and the loser does
 * nothing visible: a failure that loses to the handoff writes no line and powers nothing off, a
 * handoff that loses to a failure never calls execve.
 *
 * <p>The handoff claims right before execve, after the drainer, the limits and the OOM score are
 * set. From that moment a daemon's death belongs to kata-agent's world (it is PID 1 a few
 * microseconds later and reaps it); the init no longer reports it. Only execve itself failing
 * takes the claim back ({@link #reopen}), so that the handoff's own failure is reported.
 */
public final class BootOutcome {
    /** Where the boot stands. */
    public enum State {
        /** Neither side has claimed the outcome. */
        RUNNING,
        /** A failure was claimed: its line is written and the VM powers off. */
        FAILED,
        /** The handoff was claimed: execve of kata-agent is under way. */
        HANDED_OFF
    }

    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);

    /** Claims the outcome for a failure; false when it was decided already (either way). */
    public boolean claimFailure() {
        return state.compareAndSet(State.RUNNING, State.FAILED);
    }

    /** Claims the outcome for the handoff; false when a failure was decided first. */
    public boolean claimHandoff() {
        return state.compareAndSet(State.RUNNING, State.HANDED_OFF);
    }

    /**
     * execve returned with an error after the handoff was claimed: the outcome is open again, so
     * that the fail path can claim it for that error. False when the handoff had not been claimed.
     */
    public boolean reopen() {
        return state.compareAndSet(State.HANDED_OFF, State.RUNNING);
    }

    /** The state now. */
    public State state() {
        return state.get();
    }

    /** True once either side has claimed the outcome. */
    public boolean decided() {
        return state.get() != State.RUNNING;
    }
}
