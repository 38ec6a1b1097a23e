package dev.nvrc.imagetools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image SBOM against a small image tree shaped like the real one. */
class ImageSbomTest {
    private static final String JDK = "pkg:deb/debian/openjdk-17-jre-headless@17.0.15%2B6-1~deb12u1?arch=amd64";
    private static final String LIBC = "pkg:deb/debian/libc6@2.36-9%2Bdeb12u10?arch=amd64";
    private static final String LAUNCHER = "pkg:maven/dev.nvrc/nvrc-launcher@1.0?type=jar";
    private static final String CORE = "pkg:maven/dev.nvrc/nvrc-core@1.0?type=jar";
    private static final String NATIVE = "pkg:maven/com.github.jnr/jffi@1.3.13?classifier=native&type=jar";

    private final ObjectMapper mapper = new ObjectMapper();
    @TempDir Path dir;
    private Path root;
    private Path nativeJar;
    private final List<String> origins = new ArrayList<>();

    @BeforeEach
    void anImageTree() throws IOException {
        root = dir.resolve("root");
        write("usr/lib/nvrc/nvrc.jar", "launcher classes");
        write("usr/lib/nvrc/lib/nvrc-core-1.0.jar", "core classes");
        write("usr/lib/nvrc/jffi/libjffi-1.2.so", "jffi native code");
        write("usr/lib/nvrc/jre/release", "JAVA_VERSION=\"17.0.15\"\nJAVA_RUNTIME_VERSION=\"17.0.15+6-Debian-1deb12u1\"\n"
                + "MODULES=\"java.base java.logging jdk.unsupported\"\n");
        write("usr/lib/nvrc/jre/lib/modules", "module image");
        write("usr/lib/nvrc/jre/bin/java", "java launcher");
        write("usr/lib/nvrc/jre/bin/nvrc", "dynamic loader");
        write("usr/lib/nvrc/sysroot/libc.so.6", "C library");
        for (String stub : ImageSbom.STUB_PATHS) {
            write(stub, "static stub");
        }
        write(ImageSbom.JAR_SBOM_PATH, "{}");
        nativeJar = dir.resolve("jffi-1.3.13-native.jar");
        Files.writeString(nativeJar, "the jar the native library was unpacked from");
        origins.addAll(List.of("usr/lib/nvrc/jre\t" + JDK, "usr/lib/nvrc/jre/bin/nvrc\t" + LIBC,
                "usr/lib/nvrc/sysroot/libc.so.6\t" + LIBC, "usr/lib/nvrc/jffi\tsha256:" + FileHash.sha256(nativeJar)));
    }

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private ObjectNode jarSbom() throws IOException {
        ObjectNode bom = mapper.createObjectNode();
        bom.put("bomFormat", "CycloneDX");
        ObjectNode metadata = bom.putObject("metadata");
        metadata.put("timestamp", "2026-01-01T00:00:00Z");
        metadata.putObject("component").put("type", "application").put("bom-ref", LAUNCHER).put("name", "nvrc-launcher");
        ArrayNode components = bom.putArray("components");
        components.add(jar(CORE, "nvrc-core", FileHash.sha256(root.resolve("usr/lib/nvrc/lib/nvrc-core-1.0.jar"))));
        components.add(jar(NATIVE, "jffi", FileHash.sha256(nativeJar)));
        bom.putArray("dependencies").addObject().put("ref", LAUNCHER).putArray("dependsOn").add(CORE);
        return bom;
    }

    private ObjectNode jar(String purl, String name, String sha256) {
        ObjectNode c = mapper.createObjectNode();
        c.put("type", "library").put("bom-ref", purl).put("name", name).put("purl", purl);
        c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", sha256);
        return c;
    }

    private Result run(JsonNode jarSbom) throws IOException {
        Path sbom = dir.resolve("jar-sbom.json");
        mapper.writeValue(sbom.toFile(), jarSbom);
        Path originsFile = dir.resolve("origins.tsv");
        Files.write(originsFile, origins);
        Path out = dir.resolve("image-sbom.json");
        Files.deleteIfExists(out);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ImageSbom.run(new String[] {sbom.toString(), root.toString(), originsFile.toString(), "1.0",
            out.toString()}, new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, err.toString(StandardCharsets.UTF_8), Files.exists(out) ? Files.readString(out) : "");
    }

    private record Result(int status, String err, String json) {}

    /** image path -> sha256 of the files listed under some components. */
    private Map<String, String> listedUnder(JsonNode... components) {
        ObjectNode bom = mapper.createObjectNode();
        ArrayNode all = bom.putArray("components");
        for (JsonNode c : components) {
            all.add(c);
        }
        return ImageInventory.listed(bom);
    }

    private static JsonNode component(JsonNode bom, String ref) {
        for (JsonNode c : bom.path("components")) {
            if (c.path("bom-ref").asText().equals(ref)) {
                return c;
            }
        }
        throw new AssertionError("no component " + ref + " in " + bom);
    }

    @Test
    void everyFileOfTheTreeIsListedOnceWithItsOwnHash() throws IOException {
        Result result = run(jarSbom());
        assertThat(result.status()).as(result.err()).isZero();
        Map<String, String> listed = ImageInventory.listed(mapper.readTree(result.json()));
        assertThat(listed).hasSize(12).containsKeys("/init", "/usr/lib/nvrc/jre/release", "/usr/lib/nvrc/jffi/libjffi-1.2.so");
        assertThat(ImageInventory.differences(listed, ImageInventory.present(root))).isEmpty();
    }

    @Test
    void componentsSayWhereEachFileComesFrom() throws IOException {
        JsonNode bom = mapper.readTree(run(jarSbom()).json());
        assertThat(bom.path("specVersion").asText()).isEqualTo("1.6");
        assertThat(bom.path("metadata").path("component").path("bom-ref").asText()).isEqualTo(ImageSbom.IMAGE_REF);
        assertThat(bom.path("metadata").path("timestamp").asText()).isEqualTo("2026-01-01T00:00:00Z");

        JsonNode jdk = component(bom, JDK);
        assertThat(jdk.path("type").asText()).isEqualTo("framework");
        assertThat(jdk.path("name").asText()).isEqualTo("openjdk-17-jre-headless");
        assertThat(jdk.path("version").asText()).isEqualTo("17.0.15+6-1~deb12u1");
        List<String> nested = new ArrayList<>();
        jdk.path("components").forEach(c -> nested.add(c.path("name").asText()));
        assertThat(nested)
                .containsExactly("java.base", "java.logging", "jdk.unsupported", "java", "modules", "release");
        assertThat(jdk.path("components").get(0).path("version").asText()).isEqualTo("17.0.15");

        // The loader lies inside jre/ but comes from the C library: the longer origin wins.
        assertThat(listedUnder(component(bom, LIBC)))
                .containsOnlyKeys("/usr/lib/nvrc/jre/bin/nvrc", "/usr/lib/nvrc/sysroot/libc.so.6");
        assertThat(listedUnder(component(bom, NATIVE)))
                .containsOnlyKeys("/usr/lib/nvrc/jffi/libjffi-1.2.so");
        assertThat(listedUnder(component(bom, CORE))).containsOnlyKeys("/usr/lib/nvrc/lib/nvrc-core-1.0.jar");
        assertThat(listedUnder(component(bom, LAUNCHER))).containsOnlyKeys("/usr/lib/nvrc/nvrc.jar");
        assertThat(listedUnder(component(bom, "nvrc-init@1.0")))
                .containsOnlyKeys("/init", "/sbin/init", "/usr/lib/nvrc/bin/nvrc-drain", "/usr/lib/nvrc/bin/nvrc-init");

        JsonNode image = bom.path("dependencies").get(0);
        assertThat(image.path("ref").asText()).isEqualTo(ImageSbom.IMAGE_REF);
        List<String> dependsOn = new ArrayList<>();
        image.path("dependsOn").forEach(d -> dependsOn.add(d.asText()));
        // Packages in package-URL order: the order of the origins file does not matter.
        assertThat(dependsOn).containsExactly(LAUNCHER, LIBC, JDK, "nvrc-init@1.0");
        assertThat(bom.path("dependencies").get(1).path("ref").asText()).isEqualTo(LAUNCHER);
    }

    @Test
    void theSameTreeGivesTheSameBytes() throws IOException {
        String first = run(jarSbom()).json();
        assertThat(first).endsWith("}\n");
        assertThat(run(jarSbom()).json()).isEqualTo(first);
    }

    @Test
    void aFileNothingExplainsFailsTheBuildNamingIt() throws IOException {
        write("usr/lib/nvrc/extra/notes.txt", "who put this here");
        Result result = run(jarSbom());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("/usr/lib/nvrc/extra/notes.txt is in the image but nothing says where it comes from");
        assertThat(result.json()).isEmpty();
    }

    @Test
    void aJarWhoseHashNoComponentHasFailsTheBuild() throws IOException {
        ObjectNode stale = jarSbom();
        write("usr/lib/nvrc/lib/nvrc-core-1.0.jar", "core classes, rebuilt after the SBOM was written");
        Result result = run(stale);
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("/usr/lib/nvrc/lib/nvrc-core-1.0.jar: no component of the jar SBOM has sha256 "
                + FileHash.sha256(root.resolve("usr/lib/nvrc/lib/nvrc-core-1.0.jar")));
    }

    @Test
    void aComponentOfTheJarSbomTheImageDoesNotHoldFailsTheBuild() throws IOException {
        ObjectNode bom = jarSbom();
        ((ArrayNode) bom.get("components")).add(jar("pkg:maven/org.example/gone@1?type=jar", "gone", "00"));
        Result result = run(bom);
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("pkg:maven/org.example/gone@1?type=jar is in the jar SBOM but not in the image");
    }

    @Test
    void theLauncherJarMustBeThereAndMatchAHashTheJarSbomGivesIt() throws IOException {
        ObjectNode bom = jarSbom();
        ((ObjectNode) bom.path("metadata").path("component")).putArray("hashes").addObject()
                .put("alg", "SHA-256").put("content", "0".repeat(64));
        Result result = run(bom);
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains(LAUNCHER + ": the jar SBOM says sha256 " + "0".repeat(64));

        Files.delete(root.resolve("usr/lib/nvrc/nvrc.jar"));
        result = run(jarSbom());
        assertThat(result.err()).contains("/usr/lib/nvrc/nvrc.jar is not in the image");
    }

    @Test
    void stubCopiesThatDifferFailTheBuild() throws IOException {
        write("sbin/init", "some other init");
        Result result = run(jarSbom());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("/sbin/init differs from /init");
    }

    @Test
    void anUnownedFileIsListedAsSuch() throws IOException {
        origins.set(2, "usr/lib/nvrc/sysroot/libc.so.6\t-");
        JsonNode bom = mapper.readTree(run(jarSbom()).json());
        JsonNode unowned = component(bom, "unowned:/usr/lib/nvrc/sysroot/libc.so.6");
        assertThat(unowned.has("purl")).isFalse();
        assertThat(unowned.path("description").asText()).contains("no package owns it");
    }

    @Test
    void originsThatDoNotResolveFailTheBuild() throws IOException {
        origins.set(3, "usr/lib/nvrc/jffi\tsha256:" + "1".repeat(64));
        assertThat(run(jarSbom()).err()).contains("/usr/lib/nvrc/jffi: no component of the jar SBOM has sha256 " + "1".repeat(64));
        origins.set(3, "usr/lib/nvrc/jffi\tpkg:maven/org.example/other@1");
        assertThat(run(jarSbom()).err()).contains("comes from pkg:maven/org.example/other@1, which is not a component of the jar SBOM");
        origins.set(3, "usr/lib/nvrc/jffi\t" + NATIVE);
        assertThat(run(jarSbom()).status()).isZero();
    }

    @Test
    void badInputsGiveOneLineAndStatusOneOrUsageAndTwo() throws IOException {
        origins.add("usr/lib/nvrc/jffi only a path");
        Result result = run(jarSbom());
        assertThat(result.status()).isEqualTo(1);
        assertThat(result.err()).contains("line 5: expected <image path><TAB>");

        origins.set(4, "usr/lib/nvrc/x\tsha256:abc");
        assertThat(run(jarSbom()).err()).contains("line 5: sha256: needs 64 lower-case hex digits");
        origins.set(4, "usr/lib/nvrc/x\thttp://example.com");
        assertThat(run(jarSbom()).err()).contains("not a package URL");
        origins.remove(4);

        assertThat(run(mapper.createObjectNode().put("bomFormat", "SPDX")).err()).contains("not a CycloneDX document");
        assertThat(run(mapper.createObjectNode().put("bomFormat", "CycloneDX")).err())
                .contains("no metadata.component with a bom-ref");

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertThat(ImageSbom.run(new String[] {"one"}, new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: ImageSbom JAR_SBOM IMAGE_ROOT ORIGINS");
        err.reset();
        assertThat(ImageSbom.run(new String[] {dir.resolve("missing.json").toString(), root.toString(), "o", "1", "out"},
                new PrintStream(err, true, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nvrc-image-sbom: ").contains("missing.json");
    }

    @Test
    void aJdkReleaseWithoutModulesIsNotARuntime() throws IOException {
        write("usr/lib/nvrc/jre/release", "JAVA_VERSION=\"17\"\n");
        assertThat(run(jarSbom()).err()).contains("no JAVA_VERSION or MODULES (not a jlink runtime?)");
    }
}
