package dev.nvrc.imagetools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The CycloneDX components of the image SBOM ({@link ImageSbom}): packages, hashes, image paths. */
final class SbomComponents {
    private SbomComponents() {}

    /** The jar SBOM's component with this SHA-256 (the jar at {@code file}). */
    static String jarWithHash(Map<String, ObjectNode> jars, String sha256, String file) {
        for (Map.Entry<String, ObjectNode> jar : jars.entrySet()) {
            for (JsonNode hash : jar.getValue().path("hashes")) {
                if ("SHA-256".equals(hash.path("alg").asText()) && sha256.equals(hash.path("content").asText())) {
                    return jar.getKey();
                }
            }
        }
        throw new IllegalArgumentException("/" + file + ": no component of the jar SBOM has sha256 " + sha256);
    }

    /**
     * The component of one Debian package or of the JDK, with the image files it accounts for;
     * a JDK (its {@code release} file) lists its modules.
     */
    static ObjectNode packageComponent(ObjectMapper mapper, Path root, String purl, List<Origins.Origin> group, ArrayNode files) throws IOException {
        ObjectNode component = mapper.createObjectNode();
        String originPath = group.get(0).path();
        Optional<JdkRelease> jdk = Optional.empty();
        for (Origins.Origin origin : group) {
            Path release = root.resolve(origin.path()).resolve(JdkRelease.FILE_NAME);
            if (Files.isRegularFile(release)) {
                jdk = Optional.of(JdkRelease.read(release));
                originPath = origin.path();
            }
        }
        component.put("type", jdk.isPresent() ? "framework" : "library");
        if (purl.equals(Origins.UNKNOWN)) {
            component.put("bom-ref", "unowned:/" + originPath);
            component.put("name", "/" + originPath);
            component.put("description", "copied from the build host; no package owns it there");
        } else {
            Purl parsed = Purl.parse(purl);
            component.put("bom-ref", purl);
            component.put("name", parsed.name());
            if (!parsed.version().isEmpty()) {
                component.put("version", parsed.version());
            }
            component.put("purl", purl);
        }
        ArrayNode nested = mapper.createArrayNode();
        if (jdk.isPresent()) {
            JdkRelease j = jdk.get();
            component.put("description", "jlink'ed Java runtime " + j.runtimeVersion() + " at /" + originPath);
            for (String module : j.modules()) {
                ObjectNode m = nested.addObject();
                m.put("type", "library");
                m.put("bom-ref", "jdk-module:" + module + "@" + j.javaVersion());
                m.put("name", module);
                m.put("version", j.javaVersion());
            }
        }
        nested.addAll(files);
        component.set("components", nested);
        return component;
    }

    /** Adds a SHA-256 unless the component has it already; a different one is an error. */
    static void addHash(ObjectNode component, String sha256) {
        ArrayNode hashes = component.has("hashes") ? (ArrayNode) component.get("hashes") : component.putArray("hashes");
        for (JsonNode hash : hashes) {
            if ("SHA-256".equals(hash.path("alg").asText())) {
                if (!sha256.equals(hash.path("content").asText())) {
                    throw new IllegalArgumentException(component.path("bom-ref").asText()
                            + ": the jar SBOM says sha256 " + hash.path("content").asText() + ", the image has " + sha256);
                }
                return;
            }
        }
        hashes.addObject().put("alg", "SHA-256").put("content", sha256);
    }

    /** Adds the image path of a file the component accounts for. */
    static void addPath(ObjectNode component, String file) {
        ArrayNode properties = component.has("properties")
                ? (ArrayNode) component.get("properties") : component.putArray("properties");
        properties.addObject().put("name", ImageSbom.PATH_PROPERTY).put("value", "/" + file);
    }
}
