package dev.nvrc.kernel.support;

import java.time.Duration;

/** Durations for messages: {@code 120 s}, {@code 50 ms}. */
public final class DurationText {
    private DurationText() {}

    /** Whole seconds as {@code N s}, anything else in milliseconds. */
    public static String of(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : millis + " ms";
    }
}
