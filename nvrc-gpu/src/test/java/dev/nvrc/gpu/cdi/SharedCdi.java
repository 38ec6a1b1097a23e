package dev.nvrc.gpu.cdi;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CDI reference material the CDI tests share: the CDI JSON schema, nvidia-ctk style examples
 * and specs podman rejects, in the test resources ({@code cdi-reference/}, whose README says where
 * each file comes from and under which licence).
 */
final class SharedCdi {
    static final ObjectMapper JSON = new ObjectMapper();

    /** The spec layout in Jackson's terms: two-space indent, one element per line, {@code "key": value}. */
    private static final DefaultIndenter INDENT = new DefaultIndenter("  ", "\n");
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(
                    Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                            .withRootSeparator(""))
            .withObjectIndenter(INDENT)
            .withArrayIndenter(INDENT);

    private static JsonSchema schema;

    private SharedCdi() {
    }

    /** The test resource directory {@code cdi-reference/} (a directory: schema.json's {@code defs.json} is resolved beside it). */
    static Path dir() {
        java.net.URL schemaFile = SharedCdi.class.getResource("/cdi-reference/schema.json");
        if (schemaFile == null) {
            fail("no cdi-reference/schema.json on the test class path (nvrc-gpu/src/test/resources/cdi-reference)");
        }
        try {
            return Path.of(schemaFile.toURI()).getParent();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path file(String relative) {
        return dir().resolve(relative);
    }

    /** The CDI schema (draft 7), its relative {@code defs.json} reference resolved beside it. */
    static synchronized JsonSchema schema() {
        if (schema == null) {
            JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7);
            schema = factory.getSchema(SchemaLocation.of(file("schema.json").toUri().toString()));
        }
        return schema;
    }

    /** The schema's complaints about {@code json}, one line each; empty when valid. */
    static List<String> schemaErrors(String json) {
        Set<ValidationMessage> messages = schema().validate(parse(json));
        return messages.stream().map(ValidationMessage::toString).sorted().collect(Collectors.toList());
    }

    /**
     * {@code value} written by Jackson data binding with the spec layout: for a {@link CdiSpec} it
     * must equal {@link CdiSpecGenerator#toJson}, for a parsed example it re-prints the example.
     */
    static String dataBound(Object value) {
        try {
            return JSON.writer(PRINTER.createInstance()).writeValueAsString(value) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
