package dev.nvrc.testkit;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Sysctl;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps sysctl values in memory and records every write in order. */
public final class FakeSysctl implements Sysctl {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private final java.util.Set<String> absent = new java.util.HashSet<>();

    /** Makes {@code key} absent, as in a kernel without the feature: {@link #writeIfPresent} returns false. */
    public synchronized FakeSysctl absent(String key) {
        absent.add(key);
        return this;
    }

    @Override
    public synchronized boolean writeIfPresent(String key, String value) {
        if (absent.contains(key)) {
            return false;
        }
        write(key, value);
        return true;
    }

    @Override
    public synchronized void write(String key, String value) {
        values.put(key, value);
        writes.add(key + "=" + value);
    }

    @Override
    public synchronized String read(String key) throws BootFailure {
        String v = values.get(key);
        if (v == null) {
            throw new BootFailure("sysctl " + key + ": not set in the fake");
        }
        return v;
    }

    /** {@code key=value} of every write, in order. */
    public List<String> writes() {
        return List.copyOf(writes);
    }
}
