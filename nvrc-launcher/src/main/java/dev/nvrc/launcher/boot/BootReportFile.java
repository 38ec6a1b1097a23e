package dev.nvrc.launcher.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.report.BootReport;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes the boot report as JSON to {@code /run/nvrc/boot.json}, mode 0444, atomically. */
public final class BootReportFile {
    /** Where the report lands, as seen from the guest. */
    public static final String PATH = "/run/nvrc/boot.json";

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
        Path target = paths.resolve(PATH);
        Path temp = target.resolveSibling(".boot.json.tmp");
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(temp);
            Files.writeString(temp, toJson(report) + "\n");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--r--r--"));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new BootFailure("write " + PATH + ": " + IoReason.of(e), e);
        }
    }
}
