package dev.nvrc.kernel.mount;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.kernel.procfs.KernelFile;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The mounts of this process's mount namespace, as /proc/self/mountinfo lists them.
 *
 * <p>Line format (proc(5)): {@code id parent major:minor root mountpoint options [optional...] -
 * fstype source superoptions}. Paths and sources escape space, tab, newline and backslash as
 * three octal digits.
 */
public final class MountTable {
    private final List<MountEntry> entries;

    private MountTable(List<MountEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The empty table (before /proc is mounted nothing else is either). */
    public static MountTable empty() {
        return new MountTable(List.of());
    }

    /**
     * Reads {@code mountinfo}; a missing file (no /proc yet) is an empty table, any other read
     * error or a malformed line is a failure naming the file.
     */
    public static MountTable read(Path mountinfo) throws BootFailure {
        String text;
        try {
            text = KernelFile.read(mountinfo);
        } catch (NoSuchFileException e) {
            return empty();
        } catch (IOException e) {
            throw new BootFailure("cannot read " + mountinfo + ": " + IoReason.of(e), e);
        }
        return parse(text, mountinfo.toString());
    }

    /** Parses mountinfo text; {@code origin} names the file in failure messages. */
    public static MountTable parse(String text, String origin) throws BootFailure {
        List<MountEntry> out = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.isBlank()) {
                continue;
            }
            out.add(parseLine(line, origin, i + 1));
        }
        return new MountTable(out);
    }

    private static MountEntry parseLine(String line, String origin, int number) throws BootFailure {
        String[] f = line.trim().split(" +");
        int separator = Arrays.asList(f).indexOf("-");
        // Six fixed fields before the optional ones, three after the separator.
        if (separator < 6 || f.length < separator + 4) {
            throw new BootFailure(origin + " line " + number
                    + ": expected 'id parent major:minor root mountpoint options [optional...] - fstype source superoptions', got: " + line);
        }
        return new MountEntry(
                unescape(f[4]),
                List.of(f[5].split(",")),
                unescape(f[separator + 1]),
                unescape(f[separator + 2]),
                List.of(f[separator + 3].split(",")));
    }

    /** Decodes the kernel's {@code \ooo} octal escapes. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1) && isOctal(s, i + 2) && isOctal(s, i + 3)) {
                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7';
    }

    /** All entries in mount order. */
    public List<MountEntry> entries() {
        return entries;
    }

    /** The topmost mount at exactly {@code mountPoint} (a later mount hides an earlier one). */
    public Optional<MountEntry> find(String mountPoint) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).mountPoint().equals(mountPoint)) {
                return Optional.of(entries.get(i));
            }
        }
        return Optional.empty();
    }

    /** True when something is mounted at exactly {@code mountPoint}. */
    public boolean isMountPoint(String mountPoint) {
        return find(mountPoint).isPresent();
    }
}
