package dev.nvrc.testkit;

import java.time.Duration;

/** Durations in messages: whole seconds as "7 s", anything shorter or finer in milliseconds. */
final class Durations {
    private Durations() {}

    static String text(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
