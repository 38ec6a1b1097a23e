package dev.nvrc.kernel.mount;

import dev.nvrc.core.port.MountRequest;
import java.util.Set;

/** What to do with one mount request, decided from the mount table and the kernel's filesystems. */
public enum MountDecision {
    /** Call mount(2). */
    MOUNT,
    /** Something is mounted at the target already. */
    ALREADY_MOUNTED,
    /** Optional, and the kernel does not list the filesystem type. */
    FILESYSTEM_UNSUPPORTED,
    /** Optional, and the target directory does not exist. */
    TARGET_MISSING;

    /**
     * Decides for {@code request} whose target resolves to {@code target}.
     *
     * @param targetExists whether the target path exists
     * @param filesystems the types listed in /proc/filesystems
     */
    public static MountDecision decide(MountRequest request, String target, boolean targetExists,
            MountTable table, Set<String> filesystems) {
        if (request.optional()) {
            if (!filesystems.contains(request.fsType())) {
                return FILESYSTEM_UNSUPPORTED;
            }
            if (!targetExists) {
                return TARGET_MISSING;
            }
        }
        return table.isMountPoint(target) ? ALREADY_MOUNTED : MOUNT;
    }

    /** True when the decision is to mount. */
    public boolean mounts() {
        return this == MOUNT;
    }
}
