package dev.nvrc.plan.api;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of the boot, as {@code nvrc plan} shows it: its stable name (the one the boot report
 * and a {@code FAILED} line use), the program it runs, and its details: what it writes
 * ({@code "path"}), waits for ({@code "await"}, {@code "timeout_s"}), and the like
 * (docs/boot.md). Immutable (the lists and the map are unmodifiable copies, their values strings,
 * numbers, booleans or lists of strings), and so safe to share between threads.
 *
 * @param name the step's stable name, such as {@code "nvidia-persistenced"}
 * @param argv the program and its arguments, empty when the step runs none
 * @param details the step's details in the plan's order, as {@code nvrc plan --json} prints them
 */
public record PlannedStep(String name, List<String> argv, Map<String, Object> details) {
    /**
     * Copies the values and checks they are what a plan holds.
     *
     * @param name the step's name
     * @param argv the program and its arguments
     * @param details the step's details
     * @throws NullPointerException when an argument, an argument of {@code argv}, a key or a value
     *     is null
     * @throws IllegalArgumentException when {@code name} is blank, or a detail is not a string,
     *     number, boolean or list of strings
     */
    public PlannedStep {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a step has a name");
        }
        argv = List.copyOf(argv);
        Map<String, Object> copy = new LinkedHashMap<>();
        Objects.requireNonNull(details, "details").forEach((key, value) -> copy.put(Objects.requireNonNull(key, "key"),
                plain(key, Objects.requireNonNull(value, key))));
        details = Collections.unmodifiableMap(copy);
    }

    private static Object plain(String key, Object value) {
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof List<?> list) {
            List<String> strings = new ArrayList<>();
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    throw new IllegalArgumentException(key + ": a list detail holds strings, found " + item);
                }
                strings.add(s);
            }
            return List.copyOf(strings);
        }
        throw new IllegalArgumentException(key + ": a detail is a string, number, boolean or list of strings, found "
                + value.getClass().getSimpleName());
    }

    /**
     * Whether the step runs a program.
     *
     * @return true when {@link #argv()} is not empty
     */
    public boolean runsProgram() {
        return !argv.isEmpty();
    }

    /**
     * Whether the program keeps running after its step: a daemon.
     *
     * @return true for a daemon ({@code "runs": "background"})
     */
    public boolean isDaemon() {
        return "background".equals(details.get("runs"));
    }

    /**
     * What the boot waits for before the next step: a daemon's readiness marker, or that it still
     * runs after a settle time.
     *
     * @return the {@code "await"} detail, if the boot waits
     */
    public Optional<String> awaits() {
        return Optional.ofNullable(details.get("await")).map(Object::toString);
    }

    /**
     * How long the boot waits: the readiness timeout ({@code "timeout_s"}), the settle time
     * ({@code "settle_ms"}), or how long a foreground program may run.
     *
     * @return the wait, if the step has one
     */
    public Optional<Duration> timeout() {
        if (details.get("timeout_s") instanceof Number seconds) {
            return Optional.of(Duration.ofSeconds(seconds.longValue()));
        }
        if (details.get("settle_ms") instanceof Number millis) {
            return Optional.of(Duration.ofMillis(millis.longValue()));
        }
        return Optional.empty();
    }
}
