package dev.nvrc.imagetools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CycloneDX 1.6 SBOM of the boot image: an inventory of every file the image ships, each
 * with its SHA-256, grouped under the component it comes from.
 *
 * <ul>
 *   <li>{@code nvrc.jar} and the jars in {@code lib/}: the components of the launcher's jar SBOM
 *       (written by the CycloneDX Maven plugin), matched by SHA-256, so the SBOM cannot list one
 *       jar while the image holds another;
 *   <li>files copied from elsewhere (the jlink'ed runtime, the system libraries of the sysroot,
 *       the dynamic loader, the native library unpacked from jffi's jar): under the package that
 *       owned them, from an {@link Origins} file; a jlink runtime also lists its JDK modules;
 *   <li>the static stub ({@code /init}, {@code /sbin/init}, {@code nvrc-init}, {@code nvrc-drain}:
 *       one program, four paths).
 * </ul>
 *
 * <p>A file in the tree that none of these explains, or a jar SBOM component the image does not
 * hold, fails the build: the SBOM is complete or it is not written. It is deterministic (no
 * serial number; the timestamp is the jar SBOM's, the build's output timestamp), so two builds of
 * the same sources give the same bytes. The CDS archive is dumped after it and is not in it
 * (docs/security.md explains why it is not reproducible).
 */
public final class ImageSbom {
    /** Where the launcher lives in the image. */
    public static final String NVRC_DIR = "usr/lib/nvrc";
    /** The launcher's jar SBOM, as shipped in the image. */
    public static final String JAR_SBOM_PATH = NVRC_DIR + "/nvrc-sbom.json";
    /** This SBOM, as shipped in the image. */
    public static final String IMAGE_SBOM_PATH = NVRC_DIR + "/nvrc-image-sbom.json";
    /** The four paths of the static stub. */
    public static final List<String> STUB_PATHS =
            List.of("init", "sbin/init", NVRC_DIR + "/bin/nvrc-drain", NVRC_DIR + "/bin/nvrc-init");
    /** The property that names where a component's file is in the image (absolute path). */
    public static final String PATH_PROPERTY = "nvrc:image:path";
    /** The bom-ref of the image itself. */
    public static final String IMAGE_REF = "nvrc-boot-image";

    /** The launcher jar. */
    static final String LAUNCHER_JAR = NVRC_DIR + "/nvrc.jar";
    private static final String USAGE =
            "usage: ImageSbom JAR_SBOM IMAGE_ROOT ORIGINS VERSION OUTPUT\n"
            + "  JAR_SBOM    the launcher's CycloneDX JSON SBOM (target/nvrc-sbom.json)\n"
            + "  IMAGE_ROOT  the unpacked image tree (init, sbin/init, usr/lib/nvrc)\n"
            + "  ORIGINS     <image path><TAB><package URL or -> per copied file or directory\n"
            + "  VERSION     the project version\n"
            + "  OUTPUT      where to write the image SBOM";

    private final ObjectMapper mapper = new ObjectMapper();
    private final JsonNode jarSbom;
    private final Path root;
    private final Origins origins;
    private final String version;
    /** {@code /path -> sha256} of every file to list, set by {@link #build()}. */
    private Map<String, String> fileHashes = Map.of();

    /**
     * Prepares an SBOM of one image tree.
     *
     * @param jarSbom the launcher's jar SBOM, parsed
     * @param root the image tree
     * @param origins where the copied files come from
     * @param version the project version, the image's version in the SBOM
     */
    public ImageSbom(JsonNode jarSbom, Path root, Origins origins, String version) {
        this.jarSbom = jarSbom;
        this.root = root;
        this.origins = origins;
        this.version = version;
    }

    /**
     * Command-line entry for build-image.sh; exits 0, 1 (the image or its inputs are wrong, one
     * line on stderr says how) or 2 (usage).
     *
     * @param args see {@link #run(String[], PrintStream)}
     */
    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /**
     * Writes the SBOM of an image tree.
     *
     * @param args JAR_SBOM IMAGE_ROOT ORIGINS VERSION OUTPUT
     * @param err where problems are reported
     * @return the exit status
     */
    public static int run(String[] args, PrintStream err) {
        if (args.length != 5) {
            err.println(USAGE);
            return 2;
        }
        try {
            ObjectMapper mapper = new ObjectMapper();
            JsonNode jarSbom = mapper.readTree(Path.of(args[0]).toFile());
            ObjectNode bom = new ImageSbom(jarSbom, Path.of(args[1]), Origins.read(Path.of(args[2])), args[3]).build();
            String json = mapper.writer().with(SerializationFeature.INDENT_OUTPUT).writeValueAsString(bom) + "\n";
            Files.writeString(Path.of(args[4]), json, StandardCharsets.UTF_8);
            return 0;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            err.println("nvrc-image-sbom: " + e.getMessage());
            return 1;
        }
    }

    /**
     * Builds the SBOM.
     *
     * @return the CycloneDX document
     * @throws IOException if a file of the tree cannot be read
     * @throws IllegalArgumentException if the tree, the jar SBOM and the origins do not agree
     */
    public ObjectNode build() throws IOException {
        if (!"CycloneDX".equals(jarSbom.path("bomFormat").asText())) {
            throw new IllegalArgumentException("the jar SBOM is not a CycloneDX document");
        }
        JsonNode declared = jarSbom.path("metadata").path("component");
        if (!declared.isObject() || !declared.hasNonNull("bom-ref")) {
            throw new IllegalArgumentException("the jar SBOM has no metadata.component with a bom-ref");
        }
        ObjectNode launcher = declared.deepCopy();
        Map<String, ObjectNode> jars = new LinkedHashMap<>();
        for (JsonNode c : jarSbom.path("components")) {
            jars.put(c.path("bom-ref").asText(), c.deepCopy());
        }
        fileHashes = ImageInventory.present(root);
        List<String> inventory = fileHashes.keySet().stream().map(p -> p.substring(1)).toList();
        ImageFiles files = ImageFiles.sort(inventory, origins);
        if (!files.launcherJar) {
            throw new IllegalArgumentException("/" + LAUNCHER_JAR + " is not in the image");
        }
        SbomComponents.addHash(launcher, sha256(LAUNCHER_JAR));
        SbomComponents.addPath(launcher, LAUNCHER_JAR);
        Map<String, List<String>> jarPaths = new LinkedHashMap<>();
        for (String jar : files.libJars) {
            String ref = SbomComponents.jarWithHash(jars, sha256(jar), jar);
            jarPaths.computeIfAbsent(ref, r -> new ArrayList<>()).add(jar);
        }

        // Files copied from a jar go under its component; from a package, under a new one.
        Map<String, ArrayNode> nestedFiles = new LinkedHashMap<>();
        List<ObjectNode> packages = new ArrayList<>();
        for (Map<Origins.Origin, List<String>> group : files.byOrigin.values()) {
            Origins.Origin first = group.keySet().iterator().next();
            String purl = first.purl();
            ArrayNode fileComponents = mapper.createArrayNode();
            for (String file : group.values().stream().flatMap(List::stream).sorted().toList()) {
                fileComponents.add(fileComponent(file));
            }
            if (purl.startsWith(Origins.JAR_SHA256)) {
                String ref = SbomComponents.jarWithHash(jars, purl.substring(Origins.JAR_SHA256.length()), first.path());
                nestedFiles.computeIfAbsent(ref, r -> mapper.createArrayNode()).addAll(fileComponents);
            } else if (purl.startsWith("pkg:maven/")) {
                if (!jars.containsKey(purl)) {
                    throw new IllegalArgumentException("/" + first.path() + " comes from " + purl
                            + ", which is not a component of the jar SBOM");
                }
                nestedFiles.computeIfAbsent(purl, p -> mapper.createArrayNode()).addAll(fileComponents);
            } else {
                packages.add(SbomComponents.packageComponent(mapper, root, purl, List.copyOf(group.keySet()), fileComponents));
            }
        }

        ArrayNode components = mapper.createArrayNode();
        components.add(launcher);
        for (Map.Entry<String, ObjectNode> jar : jars.entrySet()) {
            ObjectNode component = jar.getValue();
            List<String> paths = jarPaths.getOrDefault(jar.getKey(), List.of());
            ArrayNode nested = nestedFiles.get(jar.getKey());
            if (paths.isEmpty() && nested == null) {
                throw new IllegalArgumentException(jar.getKey() + " is in the jar SBOM but not in the image");
            }
            paths.forEach(p -> SbomComponents.addPath(component, p));
            if (nested != null) {
                component.set("components", nested);
            }
            components.add(component);
        }
        packages.forEach(components::add);
        Optional<ObjectNode> stub = stubComponent(files.stub);
        stub.ifPresent(components::add);

        ObjectNode bom = mapper.createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        bom.put("specVersion", "1.6");
        bom.put("version", 1);
        bom.set("metadata", metadata());
        bom.set("components", components);
        bom.set("dependencies", dependencies(launcher, packages, stub));
        return bom;
    }

    /** The SHA-256 of an image file, hashed once by {@link ImageInventory#present}. */
    private String sha256(String file) {
        return fileHashes.get("/" + file);
    }

    private Optional<ObjectNode> stubComponent(List<String> files) {
        if (files.isEmpty()) {
            return Optional.empty();
        }
        String hash = sha256(files.get(0));
        ObjectNode stub = mapper.createObjectNode();
        stub.put("type", "application");
        stub.put("bom-ref", "nvrc-init@" + version);
        stub.put("name", "nvrc-init");
        stub.put("version", version);
        stub.put("description", "the static stub that starts the JVM as PID 1 and drains its output;"
                + " built from nvrc-launcher/src/main/c");
        SbomComponents.addHash(stub, hash);
        for (String file : files) {
            if (!sha256(file).equals(hash)) {
                throw new IllegalArgumentException("/" + file + " differs from /" + files.get(0)
                        + ": every stub path must be the same program");
            }
            SbomComponents.addPath(stub, file);
        }
        return Optional.of(stub);
    }

    private ObjectNode fileComponent(String file) {
        ObjectNode component = mapper.createObjectNode();
        component.put("type", "file");
        component.put("bom-ref", "file:/" + file);
        component.put("name", file.substring(file.lastIndexOf('/') + 1));
        SbomComponents.addHash(component, sha256(file));
        SbomComponents.addPath(component, file);
        return component;
    }

    private ObjectNode metadata() {
        ObjectNode metadata = mapper.createObjectNode();
        JsonNode timestamp = jarSbom.path("metadata").path("timestamp");
        if (timestamp.isTextual()) {
            metadata.put("timestamp", timestamp.asText());
        }
        metadata.putArray("lifecycles").addObject().put("phase", "build");
        ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
        tool.put("type", "application");
        tool.put("group", "dev.nvrc");
        tool.put("name", "nvrc-image-sbom");
        tool.put("version", version);
        ObjectNode image = metadata.putObject("component");
        image.put("type", "application");
        image.put("bom-ref", IMAGE_REF);
        image.put("name", IMAGE_REF);
        image.put("version", version);
        image.put("description", "nvrc-image.tar.gz: the init of NVIDIA GPU Kata guests, its Java runtime and"
                + " the libraries it needs, unpacked into a guest root file system");
        return metadata;
    }

    private ArrayNode dependencies(ObjectNode launcher, List<ObjectNode> packages, Optional<ObjectNode> stub) {
        ArrayNode dependencies = mapper.createArrayNode();
        ObjectNode image = dependencies.addObject();
        image.put("ref", IMAGE_REF);
        ArrayNode on = image.putArray("dependsOn");
        on.add(launcher.path("bom-ref").asText());
        packages.forEach(p -> on.add(p.path("bom-ref").asText()));
        stub.ifPresent(s -> on.add(s.path("bom-ref").asText()));
        for (JsonNode d : jarSbom.path("dependencies")) {
            dependencies.add(d.deepCopy());
        }
        return dependencies;
    }
}
