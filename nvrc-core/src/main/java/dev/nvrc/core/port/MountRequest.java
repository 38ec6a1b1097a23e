package dev.nvrc.core.port;

import java.util.Objects;

/**
 * One mount(2) call.
 *
 * @param source the source string ({@code proc}, {@code run}, ...)
 * @param target the absolute guest path to mount on
 * @param fsType the filesystem type
 * @param flags the MS_* flags, see {@link MountFlags}
 * @param data the filesystem options, or {@code null}
 * @param optional mount only when the kernel lists {@code fsType} in /proc/filesystems and the
 *     target exists; otherwise skip silently
 */
public record MountRequest(String source, String target, String fsType, long flags, String data, boolean optional) {
    public MountRequest {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(fsType, "fsType");
    }
}
