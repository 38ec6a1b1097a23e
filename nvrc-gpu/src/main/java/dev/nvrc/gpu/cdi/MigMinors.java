package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.Printable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The minor numbers of the MIG capability device nodes, from the driver's
 * {@code /proc/driver/nvidia-caps/mig-minors}: one {@code <capability> <minor>} line per
 * capability the driver can ever create, whether it exists now or not ({@code config 1},
 * {@code monitor 2}, {@code gpu0/gi0/access 3}, {@code gpu0/gi0/ci0/access 4}, ...). The node of
 * minor {@code N} is {@code /dev/nvidia-caps/nvidia-cap<N>}; {@code gpu<M>} is the GPU's device
 * minor, {@code gi<G>} the GPU instance id, {@code ci<C>} the compute instance id.
 *
 * <p>This is where nvidia-ctk takes the minors from too. A file that is missing means a driver
 * without MIG support: no map. A line not of the form {@code <name> <number>} fails naming the
 * line: a misread minor would hand a container another instance's capability.
 */
final class MigMinors {
    static final String FILE = "/proc/driver/nvidia-caps/mig-minors";
    static final String NODE_DIR = "/dev/nvidia-caps";

    private static final Pattern LINE = Pattern.compile("(\\S+) (\\d{1,9})");

    private final Map<String, Integer> minors;

    private MigMinors(Map<String, Integer> minors) {
        this.minors = minors;
    }

    /** The driver's MIG minors, or empty when the file does not exist. */
    static Optional<MigMinors> read(NvrcPaths paths) throws BootFailure {
        Path file = paths.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(parse(KernelMadeFiles.readText(file, FILE, "the minors of the MIG capability nodes")));
    }

    /** Parses the file's text. */
    static MigMinors parse(String text) throws BootFailure {
        Map<String, Integer> minors = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            Matcher m = LINE.matcher(lines[i]);
            if (!m.matches()) {
                throw new BootFailure(FILE + " line " + (i + 1) + ": expected '<capability> <minor>' such as"
                        + " 'gpu0/gi1/access 12', found '" + Printable.masked(lines[i], 60) + "'");
            }
            if (minors.putIfAbsent(m.group(1), Integer.parseInt(m.group(2))) != null) {
                throw new BootFailure(FILE + " line " + (i + 1) + ": " + m.group(1) + " is listed twice");
            }
        }
        return new MigMinors(minors);
    }

    /** The minor of {@code capability} ({@code gpu0/gi1/access}), if listed. */
    Optional<Integer> minor(String capability) {
        return Optional.ofNullable(minors.get(capability));
    }

    /** The node of a minor: {@code /dev/nvidia-caps/nvidia-cap<minor>}. */
    static String nodePath(int minor) {
        return NODE_DIR + "/nvidia-cap" + minor;
    }
}
