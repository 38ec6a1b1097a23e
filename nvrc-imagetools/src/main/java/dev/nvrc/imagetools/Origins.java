package dev.nvrc.imagetools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Where the files of the image that Maven did not build come from: one line per image path (a
 * file, or a directory for everything below it) and the package URL of what it was copied from,
 * separated by a tab. Instead of a package URL, {@code sha256:<hex>} names the jar of the jar SBOM
 * with that hash (a native library unpacked from a jar), and {@code -} says: copied from the build
 * host, owner unknown.
 * The longest matching path wins, so {@code usr/lib/nvrc/jre} can name the JDK while
 * {@code usr/lib/nvrc/jre/bin/nvrc}, the dynamic loader, names the C library.
 */
public final class Origins {
    /** The package URL that says "owner unknown". */
    public static final String UNKNOWN = "-";
    /** The prefix of an origin that is a jar of the jar SBOM, named by its SHA-256. */
    public static final String JAR_SHA256 = "sha256:";

    private final List<Origin> origins;

    /**
     * One line of the file.
     *
     * @param path image-relative path, no leading or trailing slash
     * @param purl package URL, or {@link #UNKNOWN}
     */
    public record Origin(String path, String purl) {
        boolean covers(String file) {
            return file.equals(path) || file.startsWith(path + "/");
        }
    }

    private Origins(List<Origin> origins) {
        this.origins = origins;
    }

    /**
     * Reads an origins file; empty lines and lines starting with {@code #} are skipped.
     *
     * @param file the tab-separated file build-image.sh writes
     * @return the origins in it
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException naming the line that is not {@code path<TAB>purl}
     */
    public static Origins read(Path file) throws IOException {
        List<Origin> origins = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            String path = fields.length == 2 ? trimSlashes(fields[0]) : "";
            if (path.isEmpty() || fields[1].isEmpty()) {
                throw new IllegalArgumentException(file + " line " + (i + 1)
                        + ": expected <image path><TAB><package URL, sha256:<hex> or ->, got: " + line);
            }
            if (fields[1].startsWith(JAR_SHA256)) {
                if (!fields[1].substring(JAR_SHA256.length()).matches("[0-9a-f]{64}")) {
                    throw new IllegalArgumentException(file + " line " + (i + 1)
                            + ": sha256: needs 64 lower-case hex digits, got: " + fields[1]);
                }
            } else if (!fields[1].equals(UNKNOWN)) {
                Purl.parse(fields[1]);
            }
            origins.add(new Origin(path, fields[1]));
        }
        origins.sort(Comparator.comparing((Origin o) -> o.path().length()).reversed());
        return new Origins(List.copyOf(origins));
    }

    /**
     * The origin of one image file.
     *
     * @param file image-relative path
     * @return the most specific origin that covers it, if any
     */
    public Optional<Origin> of(String file) {
        return origins.stream().filter(o -> o.covers(file)).findFirst();
    }

    private static String trimSlashes(String path) {
        String p = path.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }
}
