package dev.nvrc.imagetools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code release} file jlink writes at the top of a runtime image: which Java version it is
 * and which modules it holds, the part of the runtime no jar SBOM can see.
 *
 * @param javaVersion {@code JAVA_VERSION}, e.g. {@code 17.0.15}
 * @param runtimeVersion {@code JAVA_RUNTIME_VERSION}, e.g. {@code 17.0.15+6-Debian-1deb12u1}
 * @param modules {@code MODULES}, in the file's order
 */
public record JdkRelease(String javaVersion, String runtimeVersion, List<String> modules) {

    /** Copies the module list: the record is a value. */
    public JdkRelease {
        modules = List.copyOf(modules);
    }

    /** The file name inside a runtime image. */
    public static final String FILE_NAME = "release";

    /**
     * Reads a release file.
     *
     * @param file the {@code release} file of a runtime image
     * @return its versions and modules
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if {@code JAVA_VERSION} or {@code MODULES} is missing
     */
    public static JdkRelease read(Path file) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq).trim(), unquote(line.substring(eq + 1).trim()));
            }
        }
        String version = values.get("JAVA_VERSION");
        String modules = values.get("MODULES");
        if (version == null || version.isEmpty() || modules == null || modules.isBlank()) {
            throw new IllegalArgumentException(file + ": no JAVA_VERSION or MODULES (not a jlink runtime?)");
        }
        return new JdkRelease(version, values.getOrDefault("JAVA_RUNTIME_VERSION", version),
                Arrays.stream(modules.trim().split("\\s+")).toList());
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }
}
