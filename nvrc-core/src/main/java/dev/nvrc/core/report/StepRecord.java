package dev.nvrc.core.report;

import java.util.Objects;

/**
 * One step as it ran.
 *
 * @param step the step's stable name
 * @param startMs start, in ms since the init process started
 * @param durationMs how long it took
 * @param ok false for the step that failed the boot
 */
public record StepRecord(String step, long startMs, long durationMs, boolean ok) {
    public StepRecord {
        Objects.requireNonNull(step, "step");
    }
}
