package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The JSON text of a spec: two-space indent, one array element per line, {@code "key": value},
 * a final newline, {@code nvidia-ctk}'s field order (Go's {@code json.MarshalIndent} layout), empty
 * lists and absent values left out. The same spec always gives the same bytes.
 *
 * <p>Written with Jackson's streaming generator rather than data binding: the output is the same
 * as an {@code ObjectMapper} gives for the annotated model (a test holds them equal), but the
 * first call in a fresh JVM, which is the one call the init makes, skips the introspection of the
 * model classes and is several times faster.
 */
final class CdiJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");

    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(
                    Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                            .withRootSeparator(""))
            .withObjectIndenter(INDENT)
            .withArrayIndenter(INDENT);

    private CdiJson() {
    }

    /** A fresh instance of the layout (pretty printers keep the nesting level: one per document). */
    static DefaultPrettyPrinter printer() {
        return PRINTER.createInstance();
    }

    /** The spec as pretty-printed JSON ending in a newline. */
    static String write(CdiSpec spec) {
        StringWriter text = new StringWriter(16384);
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.setPrettyPrinter(printer());
            g.writeStartObject();
            g.writeStringField("cdiVersion", spec.cdiVersion());
            g.writeStringField("kind", spec.kind());
            if (!spec.devices().isEmpty()) {
                g.writeArrayFieldStart("devices");
                for (CdiDevice device : spec.devices()) {
                    g.writeStartObject();
                    g.writeStringField("name", device.name());
                    g.writeFieldName("containerEdits");
                    edits(g, device.containerEdits());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeFieldName("containerEdits");
            edits(g, spec.containerEdits());
            g.writeEndObject();
        } catch (IOException e) {
            // A StringWriter does not fail.
            throw new UncheckedIOException("cannot write CDI spec as JSON", e);
        }
        return text.append('\n').toString();
    }

    private static void edits(JsonGenerator g, ContainerEdits edits) throws IOException {
        g.writeStartObject();
        strings(g, "env", edits.env());
        if (!edits.deviceNodes().isEmpty()) {
            g.writeArrayFieldStart("deviceNodes");
            for (DeviceNode node : edits.deviceNodes()) {
                g.writeStartObject();
                g.writeStringField("path", node.path());
                if (node.hostPath() != null) {
                    g.writeStringField("hostPath", node.hostPath());
                }
                if (node.major() != null) {
                    g.writeNumberField("major", node.major());
                }
                if (node.minor() != null) {
                    g.writeNumberField("minor", node.minor());
                }
                if (node.fileMode() != null) {
                    g.writeNumberField("fileMode", node.fileMode());
                }
                if (node.permissions() != null) {
                    g.writeStringField("permissions", node.permissions());
                }
                if (node.gid() != null) {
                    g.writeNumberField("gid", node.gid());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!edits.hooks().isEmpty()) {
            g.writeArrayFieldStart("hooks");
            for (Hook hook : edits.hooks()) {
                g.writeStartObject();
                g.writeStringField("hookName", hook.hookName());
                g.writeStringField("path", hook.path());
                strings(g, "args", hook.args());
                strings(g, "env", hook.env());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (!edits.mounts().isEmpty()) {
            g.writeArrayFieldStart("mounts");
            for (Mount mount : edits.mounts()) {
                g.writeStartObject();
                g.writeStringField("hostPath", mount.hostPath());
                g.writeStringField("containerPath", mount.containerPath());
                strings(g, "options", mount.options());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        List<Long> gids = edits.additionalGids();
        if (!gids.isEmpty()) {
            g.writeArrayFieldStart("additionalGids");
            for (long gid : gids) {
                g.writeNumber(gid);
            }
            g.writeEndArray();
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        if (values.isEmpty()) {
            return;
        }
        g.writeArrayFieldStart(field);
        for (String value : values) {
            g.writeString(value);
        }
        g.writeEndArray();
    }
}
