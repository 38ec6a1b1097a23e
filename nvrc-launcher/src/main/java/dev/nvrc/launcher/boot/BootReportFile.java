package dev.nvrc.launcher.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nvrc.core.io.AtomicFile;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.report.BootReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes the boot report as JSON to {@code /run/nvrc/boot.json}, mode 0444, atomically. */
public final class BootReportFile {
    /** Where the report lands, as seen from the guest. */
    public static final String PATH = "/run/nvrc/boot.json";

    /** r--r--r--: anyone in the guest may read the report, nobody changes it. */
    static final Set<PosixFilePermission> MODE_0444 = PosixFilePermissions.fromString("r--r--r--");

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private BootReportFile() {}

    /** The report as pretty-printed JSON. */
    public static String toJson(BootReport report) {
        try {
            return JSON.writeValueAsString(report.toMap());
        } catch (IOException e) {
            throw new IllegalStateException("the report holds only strings, numbers, booleans, lists and maps", e);
        }
    }

    /** Writes {@code report} under {@code paths}; replaces an older report. */
    public static void write(BootReport report, NvrcPaths paths) throws BootFailure {
        AtomicFile.write(paths.resolve(PATH), (toJson(report) + "\n").getBytes(StandardCharsets.UTF_8), MODE_0444, PATH);
    }
}
