package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.AtomicFile;
import dev.nvrc.core.report.BootReport;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes the boot report as JSON to {@code /run/nvrc/boot.json}, mode 0444, atomically.
 *
 * <p>Written with Jackson's streaming generator, not data binding: the report is plain data
 * (strings, numbers, booleans, lists and maps), and the first {@code ObjectMapper} of a fresh JVM
 * costs the boot a large part of a second under an emulated CPU for the introspection it sets up
 * (docs/performance.md). The text is what {@code ObjectMapper} with {@code INDENT_OUTPUT} writes
 * (a test holds the two equal), so readers of the report see no difference.
 */
public final class BootReportFile {
    /** Where the report lands, as seen from the guest. */
    public static final String PATH = "/run/nvrc/boot.json";

    /** r--r--r--: anyone in the guest may read the report, nobody changes it. */
    static final Set<PosixFilePermission> MODE_0444 = PosixFilePermissions.fromString("r--r--r--");

    private BootReportFile() {}

    /** The report as pretty-printed JSON. */
    public static String toJson(BootReport report) {
        return PrettyJson.of(report.toMap());
    }

    /** Writes {@code report} under {@code paths}; replaces an older report. */
    public static void write(BootReport report, NvrcPaths paths) throws BootFailure {
        AtomicFile.write(paths.resolve(PATH), (toJson(report) + "\n").getBytes(StandardCharsets.UTF_8), MODE_0444, PATH);
    }
}
