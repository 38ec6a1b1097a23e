package dev.nvrc.testkit;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.DeviceNodes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the character devices made, by path, and refuses a path made twice as mknod(2) does.
 * {@link #existing} adds a node that was there before the boot.
 */
public final class FakeDeviceNodes implements DeviceNodes {
    private final Map<String, String> nodes = new LinkedHashMap<>();

    @Override
    public synchronized void createCharacterDevice(String path, int major, int minor, int mode) throws BootFailure {
        if (nodes.containsKey(path)) {
            throw new BootFailure("mknod " + path + " c " + major + " " + minor + ": File exists (EEXIST)");
        }
        nodes.put(path, describe(major, minor, mode));
    }

    /** A node present before the boot. */
    public synchronized FakeDeviceNodes existing(String path, int major, int minor, int mode) {
        nodes.put(path, describe(major, minor, mode));
        return this;
    }

    /** Every node by path, as {@code "c 510:1 0666"}. */
    public synchronized Map<String, String> nodes() {
        return Map.copyOf(nodes);
    }

    private static String describe(int major, int minor, int mode) {
        return String.format("c %d:%d %04o", major, minor, mode);
    }
}
