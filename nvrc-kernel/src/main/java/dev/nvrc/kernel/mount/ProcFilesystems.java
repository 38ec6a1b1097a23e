package dev.nvrc.kernel.mount;

import dev.nvrc.kernel.procfs.KernelFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The filesystem types the kernel supports, from /proc/filesystems ({@code nodev\tproc},
 * {@code \text4}): the last whitespace-separated token of each line.
 */
public final class ProcFilesystems {
    private ProcFilesystems() {}

    /** Reads {@code file}; an unreadable file means "none" (optional mounts are then skipped). */
    public static Set<String> read(Path file) {
        try {
            return parse(KernelFile.read(file));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** Parses the text of /proc/filesystems. */
    public static Set<String> parse(String text) {
        Set<String> out = new LinkedHashSet<>();
        for (String line : text.split("\n")) {
            String[] tokens = line.trim().split("\\s+");
            String last = tokens[tokens.length - 1];
            if (!last.isEmpty()) {
                out.add(last);
            }
        }
        return Set.copyOf(out);
    }
}
