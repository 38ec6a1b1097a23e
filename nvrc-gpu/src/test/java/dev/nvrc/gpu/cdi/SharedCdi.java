package dev.nvrc.gpu.cdi;

import static org.junit.jupiter.api.Assertions.fail;

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
 * The project's shared CDI reference material ({@code shared/cdi}: schema, examples, specs podman
 * rejects), found beside the repository: {@code ../../shared/cdi} from this module (CI clones the
 * repository next to {@code shared/}), or the directory named by {@code -Dnvrc.shared.cdi}.
 */
final class SharedCdi {
    static final ObjectMapper JSON = new ObjectMapper();

    private static JsonSchema schema;

    private SharedCdi() {
    }

    /** The shared/cdi directory; fails the test with directions when it is missing. */
    static Path dir() {
        Path dir = Path.of(System.getProperty("nvrc.shared.cdi", "../../shared/cdi")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("schema.json")) || !Files.isRegularFile(dir.resolve("defs.json"))) {
            fail("the CDI schema is not at " + dir + " (schema.json + defs.json): check out the project's shared/ "
                    + "directory beside the repository, or pass -Dnvrc.shared.cdi=<dir>");
        }
        return dir;
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
            return JSON.writer(CdiJson.printer()).writeValueAsString(value) + "\n";
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
