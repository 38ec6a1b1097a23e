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
