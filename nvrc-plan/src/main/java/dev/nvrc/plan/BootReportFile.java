package dev.nvrc.launcher.boot;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.io.AtomicFile;
import dev.nvrc.core.report.BootReport;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
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

    private static final JsonFactory FACTORY = new JsonFactory();

    private BootReportFile() {}

    /** The report as pretty-printed JSON. */
    public static String toJson(BootReport report) {
        StringWriter text = new StringWriter(4096);
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            value(g, report.toMap());
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string", e);
        }
        return text.toString();
    }

    private static void value(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer i) {
            g.writeNumber(i);
        } else if (v instanceof Long l) {
            g.writeNumber(l);
        } else if (v instanceof Double d) {
            g.writeNumber(d);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                value(g, item);
            }
            g.writeEndArray();
        } else {
            // A fact of another type is a programming error; its text is still worth a report.
            g.writeString(v.toString());
        }
    }

    /** Writes {@code report} under {@code paths}; replaces an older report. */
    public static void write(BootReport report, NvrcPaths paths) throws BootFailure {
        AtomicFile.write(paths.resolve(PATH), (toJson(report) + "\n").getBytes(StandardCharsets.UTF_8), MODE_0444, PATH);
    }
}
