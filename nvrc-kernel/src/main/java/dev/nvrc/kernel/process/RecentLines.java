package dev.nvrc.kernel.process;

import java.util.ArrayList;
import java.util.List;

/** The last N lines of something (a daemon's output, the syslog), oldest first; thread-safe. */
public final class RecentLines {
    private final String[] ring;
    private long added;

    /** Keeps up to {@code capacity} lines. */
    public RecentLines(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        this.ring = new String[capacity];
    }

    /** Appends {@code line}, dropping the oldest when full. */
    public synchronized void add(String line) {
        ring[(int) (added % ring.length)] = line;
        added++;
    }

    /** Up to {@code max} of the most recent lines, oldest first. */
    public synchronized List<String> last(int max) {
        int n = (int) Math.min(Math.min(max, ring.length), added);
        List<String> out = new ArrayList<>(Math.max(n, 0));
        for (long i = added - n; i < added; i++) {
            out.add(ring[(int) (i % ring.length)]);
        }
        return out;
    }

    /** How many lines were ever added. */
    public synchronized long total() {
        return added;
    }
}
