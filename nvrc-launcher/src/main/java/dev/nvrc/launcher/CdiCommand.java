package dev.nvrc.launcher;

import dev.nvrc.core.api.NvrcException;
import dev.nvrc.gpu.api.CdiSpecOptions;
import dev.nvrc.gpu.api.NvidiaCdiSpec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code nvrc cdi --root DIR [--output FILE] [--driver-root PATH] [--dev-root PATH] [--arch ARCH]}: the
 * CDI spec of a machine image (or fixture) mounted at {@code DIR}, as that machine's init would write it.
 *
 * <p>Everything is read under {@code DIR} ({@code /sys}, {@code /dev}, {@code /proc/driver/nvidia}
 * and the driver's files); paths in the spec are the guest's, without {@code DIR}. The Kata GPU
 * extension is used when {@code DIR/run/kata-extensions/gpu} exists, unless {@code --driver-root}
 * says otherwise ({@code --driver-root} and {@code --dev-root} are guest paths, as nvidia-ctk's
 * flags of the same name). The driver's libraries are looked for in the multiarch directories of
 * {@code --arch} ({@code x86_64}, {@code aarch64}; by default this JVM's, as the guest's init does
 * with its own). The JSON goes to stdout ({@code --output -} too), or atomically to {@code FILE}
 * (mode 0644), which must be a regular file or a new path: a symbolic link, a device node, a FIFO
 * or a directory there is refused and left as it is.
 * Any error is one or more {@code nvrc: } lines on stderr and exit status 2.
 */
public final class CdiCommand {
    /** The synopsis printed with usage errors and for {@code --help}. */
    public static final String USAGE =
            "usage: nvrc cdi --root DIR [--output FILE|-] [--driver-root PATH] [--dev-root PATH] [--arch ARCH]";

    /** {@code --output -}: the spec goes to stdout, as without {@code --output}. */
    static final String STDOUT = "-";

    private static final Set<String> OPTIONS = Set.of("--root", "--output", "--driver-root", "--dev-root", "--arch");

    private CdiCommand() {
    }

    /**
     * Runs the command.
     *
     * @param args the arguments after {@code cdi}
     * @param out where the spec goes without {@code --output} (and the usage for {@code --help})
     * @param err where errors go
     * @return 0 on success, 2 on any error
     */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("-h") || arg.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            String name = arg;
            String value;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.size()) {
                value = args.get(++i);
            } else {
                value = null;
            }
            if (!OPTIONS.contains(name)) {
                return usageError(err, "unknown argument '" + arg + "'");
            }
            if (value == null || value.isEmpty()) {
                return usageError(err, name + " needs a value");
            }
            if (options.put(name, value) != null) {
                return usageError(err, name + " given twice");
            }
        }
        if (!options.containsKey("--root")) {
            return usageError(err, "--root DIR is required");
        }
        Path root = Path.of(options.get("--root"));
        if (!Files.isDirectory(root)) {
            return error(err, "--root " + root + " is not a directory");
        }
        // A library user: this command is the api's proof (docs/library.md).
        CdiSpecOptions cdiOptions;
        Path output = null;
        try {
            cdiOptions = options(root, options);
            if (options.containsKey("--output") && !options.get("--output").equals(STDOUT)) {
                output = Path.of(options.get("--output"));
            }
        } catch (NvrcException | IllegalArgumentException e) {
            return usageError(err, e.getMessage());
        }
        NvidiaCdiSpec spec;
        try {
            spec = NvidiaCdiSpec.generate(root, cdiOptions);
        } catch (NvrcException e) {
            return error(err, e.getMessage());
        }
        try {
            if (output != null) {
                spec.write(output);
            } else {
                out.print(spec.toJson());
                out.flush();
            }
            return 0;
        } catch (NvrcException e) {
            // A symbolic link, device node, FIFO or directory at --output: say what would work instead.
            return error(err, e.getMessage().endsWith("not a regular file")
                    ? e.getMessage() + " (give a regular file, a new path or - for stdout)" : e.getMessage());
        }
    }

    private static CdiSpecOptions options(Path root, Map<String, String> options) throws NvrcException {
        CdiSpecOptions result = options.containsKey("--driver-root")
                ? CdiSpecOptions.defaults().withDriverRoot(options.get("--driver-root"))
                : CdiSpecOptions.detect(root);
        if (options.containsKey("--dev-root")) {
            result = result.withDevRoot(options.get("--dev-root"));
        }
        if (options.containsKey("--arch")) {
            try {
                result = result.withArchitecture(options.get("--arch"));
            } catch (NvrcException e) {
                throw new NvrcException("--arch " + e.getMessage(), e);
            }
        }
        return result;
    }

    private static int usageError(PrintStream err, String message) {
        error(err, message);
        err.println("nvrc: " + USAGE);
        return 2;
    }

    private static int error(PrintStream err, String message) {
        message.lines().forEach(line -> err.println("nvrc: " + line));
        return 2;
    }
}
