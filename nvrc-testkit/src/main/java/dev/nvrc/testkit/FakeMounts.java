package dev.nvrc.testkit;

import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.Mounts;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records mounts; optional ones are made only for the filesystems it is told the kernel has. */
public final class FakeMounts implements Mounts {
    private final List<MountRequest> mounted = new CopyOnWriteArrayList<>();
    private final List<String> readOnly = new CopyOnWriteArrayList<>();
    private final Set<String> filesystems;

    /** A kernel that lists {@code filesystems} in /proc/filesystems. */
    public FakeMounts(Set<String> filesystems) {
        this.filesystems = Set.copyOf(filesystems);
    }

    @Override
    public boolean mount(MountRequest request) {
        if (request.optional() && !filesystems.contains(request.fsType())) {
            return false;
        }
        mounted.add(request);
        return true;
    }

    @Override
    public void remountReadOnly(String target) {
        readOnly.add(target);
    }

    @Override
    public Set<String> filesystems() {
        return filesystems;
    }

    /** Mounts made, in order. */
    public List<MountRequest> mounted() {
        return List.copyOf(mounted);
    }

    /** Targets remounted read-only, in order. */
    public List<String> readOnly() {
        return List.copyOf(readOnly);
    }
}
