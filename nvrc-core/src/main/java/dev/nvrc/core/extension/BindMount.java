package dev.nvrc.core.extension;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.MountFlags;
import dev.nvrc.core.port.MountRequest;

/** A bind mount of one guest path over another; the target must exist (the base root is read-only later). */
final class BindMount {
    private BindMount() {}

    /** The request for {@code source} over {@code target}, the source resolved under {@code paths} as the target is. */
    static MountRequest of(NvrcPaths paths, String source, String target) {
        return new MountRequest(paths.resolve(source).toString(), target, "none", MountFlags.MS_BIND, null, false);
    }
}
