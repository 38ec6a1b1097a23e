package dev.nvrc.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the simulated tools ({@link SimulatedTools}) do, as nvsim reads it: {@code key=value}
 * lines in the file named by env {@code NVSIM_CONF} (unit and sandbox tests), or {@code nvsim.*}
 * tokens on the kernel command line (VM tests, where the init passes children a fixed env).
 *
 * <p>{@link #forTest} starts from settings that keep a host quiet: the argv log in the test's
 * directory, nothing to /dev/kmsg, daemon lines to stderr unless {@link #syslog} names a socket.
 */
public final class NvsimSettings {
    private final Map<String, String> values = new LinkedHashMap<>();

    private NvsimSettings() {}

    /** nvsim's own defaults: log to /run/nvsim.log, lines to /dev/kmsg, daemons to /dev/log. */
    public static NvsimSettings defaults() {
        return new NvsimSettings();
    }

    /** Settings for a test on a host: argv log at {@code log}, no kmsg, no syslog. */
    public static NvsimSettings forTest(Path log) {
        return new NvsimSettings().log(log).set("kmsg", "off").set("syslog", "off");
    }

    private NvsimSettings set(String key, String value) {
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("nvsim." + key + " cannot contain whitespace: '" + value + "'");
        }
        values.put(key, value);
        return this;
    }

    /** Where every tool appends its {@code NVSIM <tool> <args>} line. */
    public NvsimSettings log(Path file) {
        return set("log", file.toString());
    }

    /** Where the NVSIM line also goes ({@code /dev/kmsg}); {@code off}: stderr. */
    public NvsimSettings kmsg(String path) {
        return set("kmsg", path);
    }

    /** The syslog datagram socket the daemons log to. */
    public NvsimSettings syslog(Path socket) {
        return set("syslog", socket.toString());
    }

    /** These tools exit 1 with a message. */
    public NvsimSettings fail(String... tools) {
        return set("fail", String.join(",", tools));
    }

    /** These tools never finish (foreground) or never send their marker (daemons). */
    public NvsimSettings hang(String... tools) {
        return set("hang", String.join(",", tools));
    }

    /** These tools exit 2 after one line (daemons: before their marker). */
    public NvsimSettings crash(String... tools) {
        return set("crash", String.join(",", tools));
    }

    /**
     * These generic daemons (nvlsm) fork; the started process exits 0 once ready. The NVIDIA
     * daemons fork as their programs do, whatever this says.
     */
    public NvsimSettings detach(String... tools) {
        return set("detach", String.join(",", tools));
    }

    /** These daemons exit 1 {@link #dieMs} after they said they are ready (the forked one, for those that fork). */
    public NvsimSettings die(String... tools) {
        return set("die", String.join(",", tools));
    }

    /** How long after its readiness a daemon listed in {@link #die} exits (default 300). */
    public NvsimSettings dieMs(long ms) {
        return set("die_ms", Long.toString(ms));
    }

    /** The directory the daemons' files (pid files, logs, Fabric Manager's config and state) are under; a VM uses "/". */
    public NvsimSettings root(Path dir) {
        return set("root", dir.toString());
    }

    /** The NVLink generation simulated Fabric Manager finds (3, 4 or 5); by default 5 with {@code -g}, else 4. */
    public NvsimSettings fmNvlink(int generation) {
        return set("fm_nvlink", Integer.toString(generation));
    }

    /** The port that stands in for DCGM's 5555 on a host, where 5555 may be taken. */
    public NvsimSettings dcgmPort(int port) {
        return set("dcgm_port", Integer.toString(port));
    }

    /** Each daemon logs {@code lines} lines before its marker. */
    public NvsimSettings chatter(int lines) {
        return set("chatter", Integer.toString(lines));
    }

    /** Each daemon waits {@code ms} before its marker. */
    public NvsimSettings delayMs(long ms) {
        return set("delay_ms", Long.toString(ms));
    }

    /** How long a daemon retries while the syslog socket does not exist yet (default 5000). */
    public NvsimSettings syslogWaitMs(long ms) {
        return set("syslog_wait_ms", Long.toString(ms));
    }

    /** The NVSIM_CONF file text. */
    public String confText() {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n").collect(Collectors.joining());
    }

    /** The kernel command line tokens ({@code nvsim.key=value ...}). */
    public String cmdline() {
        return values.entrySet().stream().map(e -> "nvsim." + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** Writes the NVSIM_CONF file and returns the environment entry that points at it. */
    public Map<String, String> writeConf(Path file) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, confText());
            return Map.of("NVSIM_CONF", file.toAbsolutePath().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
