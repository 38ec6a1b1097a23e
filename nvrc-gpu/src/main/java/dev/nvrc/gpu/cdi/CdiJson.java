package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON text of a spec: two-space indent, one array element per line, {@code "key": value},
 * a final newline, fields in the model's declared order (Go's {@code json.MarshalIndent} layout).
 * The same spec always gives the same bytes.
 */
final class CdiJson {
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");

    private static final ObjectWriter WRITER = JsonMapper.builder().build().writer(new DefaultPrettyPrinter(
                    Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                            .withRootSeparator(""))
            .withObjectIndenter(INDENT)
            .withArrayIndenter(INDENT));

    private CdiJson() {
    }

    /** The spec as pretty-printed JSON ending in a newline. */
    static String write(Object spec) {
        try {
            return WRITER.writeValueAsString(spec) + "\n";
        } catch (JsonProcessingException e) {
            // The model is plain records of strings and lists: this cannot happen.
            throw new IllegalStateException("cannot write CDI spec as JSON", e);
        }
    }
}
