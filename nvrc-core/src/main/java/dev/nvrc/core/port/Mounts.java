package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;
import java.util.Set;

/** Mounting filesystems. */
public interface Mounts {
    /**
     * Mounts {@code request} unless its target is already a mount point (read from
     * /proc/self/mountinfo). An optional request whose filesystem or target is missing is skipped.
     *
     * @return true when a mount was made, false when it was skipped
     */
    boolean mount(MountRequest request) throws BootFailure;

    /** Remounts the filesystem at {@code target} read-only. */
    void remountReadOnly(String target) throws BootFailure;

    /** The filesystem types listed in /proc/filesystems. */
    Set<String> filesystems() throws BootFailure;
}
