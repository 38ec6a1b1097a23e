package dev.nvrc.imagetools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An unpacked image checked against the SBOM inside it. */
class VerifyImageTest {
    private final ObjectMapper mapper = new ObjectMapper();
    @TempDir Path root;
    private ObjectNode bom;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void anImageWithItsSbom() throws IOException {
        write("init", "stub");
        write("usr/lib/nvrc/nvrc.jar", "classes");
        write(ImageInventory.CDS_ARCHIVE_PATH, "archive, not listed: not reproducible");
        write(ImageSbom.JAR_SBOM_PATH, "{}");
        bom = mapper.createObjectNode();
        ArrayNode components = bom.putArray("components");
        components.add(file("/init", FileHash.sha256(root.resolve("init"))));
        ObjectNode withNested = components.addObject();
        withNested.put("name", "launcher");
        withNested.putArray("components").add(file("/usr/lib/nvrc/nvrc.jar", FileHash.sha256(root.resolve("usr/lib/nvrc/nvrc.jar"))));
        saveSbom();
    }

    private void write(String path, String content) throws IOException {
        Files.createDirectories(root.resolve(path).getParent());
        Files.writeString(root.resolve(path), content);
    }

    private ObjectNode file(String path, String sha256) {
        ObjectNode c = mapper.createObjectNode().put("type", "file");
        c.putArray("hashes").addObject().put("alg", "SHA-256").put("content", sha256);
        c.putArray("properties").addObject().put("name", ImageSbom.PATH_PROPERTY).put("value", path);
        return c;
    }

    private void saveSbom() throws IOException {
        mapper.writeValue(root.resolve(ImageSbom.IMAGE_SBOM_PATH).toFile(), bom);
    }

    private int verify(String... args) {
        out.reset();
        err.reset();
        return VerifyImage.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void anUntouchedImageMatchesItsSbom() {
        assertThat(verify(root.toString())).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("matches").contains(": 2 files");
    }

    @Test
    void everyDifferenceIsNamedOnItsOwnLine() throws IOException {
        write("usr/lib/nvrc/nvrc.jar", "classes with a backdoor");
        write("usr/lib/nvrc/lib/extra.jar", "smuggled in");
        Files.delete(root.resolve("init"));
        assertThat(verify(root.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "nvrc-verify-image: /init: in the SBOM, not in the image",
                "nvrc-verify-image: /usr/lib/nvrc/lib/extra.jar: in the image, not in the SBOM",
                "nvrc-verify-image: /usr/lib/nvrc/nvrc.jar: sha256 " + FileHash.sha256(root.resolve("usr/lib/nvrc/nvrc.jar"))
                        + ", the SBOM says " + bom.at("/components/1/components/0/hashes/0/content").asText(),
                "nvrc-verify-image: " + root + " does NOT match " + root.resolve(ImageSbom.IMAGE_SBOM_PATH)
                        + " (3 differences)");
    }

    @Test
    void anSbomGivenApartFromTheImageIsUsedInstead() throws IOException {
        Path elsewhere = root.resolveSibling(root.getFileName() + "-sbom.json");
        mapper.writeValue(elsewhere.toFile(), mapper.createObjectNode().putArray("components"));
        try {
            assertThat(verify(root.toString(), elsewhere.toString())).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("/init: in the image, not in the SBOM");
        } finally {
            Files.delete(elsewhere);
        }
    }

    @Test
    void aBrokenSbomIsOneLineNotAStackTrace() throws IOException {
        Files.writeString(root.resolve(ImageSbom.IMAGE_SBOM_PATH), "{ not json");
        assertThat(verify(root.toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("nvrc-verify-image: ").doesNotContain("\tat ");
        assertThat(verify()).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: verify-image IMAGE_ROOT [IMAGE_SBOM]");
    }

    @Test
    void aPathListedTwiceOrWithoutAHashIsRefused() {
        ((ArrayNode) bom.get("components")).add(file("/init", "00"));
        assertThatThrownBy(() -> ImageInventory.listed(bom)).hasMessage("/init is listed twice");
        ObjectNode noHash = file("/x", "00");
        noHash.remove("hashes");
        assertThatThrownBy(() -> ImageInventory.listed(mapper.createObjectNode().set("components",
                mapper.createArrayNode().add(noHash)))).hasMessage("/x is listed without a SHA-256");
    }
}
