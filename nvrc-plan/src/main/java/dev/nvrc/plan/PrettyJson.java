package dev.nvrc.plan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Plain data (strings, numbers, booleans, lists and maps) as the pretty-printed JSON that
 * {@code ObjectMapper} with {@code INDENT_OUTPUT} writes, with Jackson's streaming generator: the
 * boot report and the plan are written the same way, and neither needs data binding, whose first
 * use costs a fresh JVM a large part of a second under an emulated CPU (docs/performance.md).
 */
public final class PrettyJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private PrettyJson() {}

    /** {@code value} as indented JSON, without a final newline. */
    public static String of(Object value) {
        StringWriter text = new StringWriter(4096);
        try (JsonGenerator g = FACTORY.createGenerator(text)) {
            g.useDefaultPrettyPrinter();
            value(g, value);
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
            // A value of another type is a programming error; its text is still worth showing.
            g.writeString(v.toString());
        }
    }
}
