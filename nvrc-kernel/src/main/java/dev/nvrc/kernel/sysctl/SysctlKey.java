package dev.nvrc.kernel.sysctl;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.Printable;
import java.nio.file.Path;

/**
 * Maps a sysctl name to its file under /proc/sys, as sysctl(8) does: {@code kernel.modules_disabled}
 * is {@code kernel/modules_disabled}; a name written with slashes ({@code net/ipv4/conf/eth0.100/forwarding})
 * is taken as a path, so dots in interface names survive.
 */
public final class SysctlKey {
    private SysctlKey() {}

    /** The relative path of {@code key} below /proc/sys; a malformed key is a failure naming it. */
    public static String relativePath(String key) throws BootFailure {
        if (key == null || key.isEmpty()) {
            throw new BootFailure("sysctl: empty key");
        }
        String path = key.indexOf('/') >= 0 ? key : key.replace('.', '/');
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || !Printable.isVisible(segment)) {
                throw new BootFailure("sysctl " + key + ": not a valid key (expected names like kernel.modules_disabled)");
            }
        }
        return path;
    }

    /** The file of {@code key} below {@code procSys}. */
    public static Path file(Path procSys, String key) throws BootFailure {
        return procSys.resolve(relativePath(key));
    }
}
