package dev.nvrc.vmtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.nvrc.core.Arch;
import dev.nvrc.imagetools.ImageInventory;
import dev.nvrc.imagetools.ImageSbom;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The boot image this build packaged (nvrc-launcher's nvrc-image.tar.gz, or the image of
 * {@code nvrc.arch}), unpacked as an image builder would: canonical tar entries, programs of its
 * architecture, and SBOMs that are valid CycloneDX 1.6 and list every file it ships with its
 * hash. No VM needed; runs in {@code test}, after nvrc-launcher's package.
 */
class BootImageTest {
    private static final Path IMAGE = Path.of(System.getProperty("nvrc.vm.image", "../nvrc-launcher/target/nvrc-image.tar.gz"));
    private static final Arch ARCH = Arch.of(System.getProperty("nvrc.arch", "")).orElseGet(Arch::current);
    /** ELF {@code e_machine} of each architecture. */
    private static final Map<Arch, Integer> ELF_MACHINE = Map.of(Arch.X86_64, 62, Arch.AARCH64, 183);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    @TempDir static Path unpacked;

    @BeforeAll
    static void unpackTheImage() throws IOException, InterruptedException {
        skipOrFail(Files.isRegularFile(IMAGE), "no boot image at " + IMAGE + " (built with -Dnvrc.image.skip=true?)");
        assertThat(run("tar", "-xzf", IMAGE.toString(), "-C", unpacked.toString())).isEmpty();
    }

    /** Skips with the reason, or fails under CI=true, where the image is always built online. */
    private static void skipOrFail(boolean condition, String reason) {
        if (!condition) {
            System.out.println("BootImageTest: " + reason);
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail("CI=true, so this skip is a failure: " + reason);
            }
            Assumptions.abort(reason);
        }
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", argv) + ": " + output).isZero();
        return output;
    }

    private static JsonNode sbom(String path) throws IOException {
        Path file = unpacked.resolve(path);
        skipOrFail(Files.isRegularFile(file), "the image has no /" + path
                + ": built offline (mvn -o), and the CycloneDX plugin only runs online");
        return MAPPER.readTree(file.toFile());
    }

    private static List<String> schemaErrors(JsonNode bom) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                builder -> builder.schemaMappers(m -> m.mapPrefix("http://cyclonedx.org/schema/", "classpath:cyclonedx/")));
        JsonSchema schema = factory.getSchema(SchemaLocation.of("http://cyclonedx.org/schema/bom-1.6.schema.json"));
        List<String> errors = new ArrayList<>();
        for (ValidationMessage m : schema.validate(bom)) {
            errors.add(m.getMessage());
        }
        return errors;
    }

    @Test
    void tarEntriesAreOwnedByRootWithOneTimestampInSortedOrder() throws Exception {
        List<String> lines = run("tar", "--list", "--verbose", "--numeric-owner", "--full-time", "-zf", IMAGE.toString())
                .lines().toList();
        assertThat(lines).isNotEmpty().allSatisfy(l -> assertThat(l.split("\\s+")[1]).isEqualTo("0/0"));
        Set<String> times = new TreeSet<>();
        List<String> names = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\\s+");
            times.add(f[3] + " " + f[4]);
            names.add(f[5]);
        }
        assertThat(times).hasSize(1);
        assertThat(names).isSorted().contains("init", "sbin/init", "usr/lib/nvrc/nvrc.jar")
                .noneMatch(n -> n.equals("usr/") || n.equals("sbin/") || n.equals("./"));
    }

    /**
     * The build-time tools (nvrc-imagetools: the image SBOM writer, verify-image, the CDS training)
     * are not in the boot image: no class of theirs, nor of their old package in the launcher, in
     * any jar the image ships ({@code unzip -l}), and no tools jar in it.
     */
    @Test
    void theShippedJarsCarryNoBuildTimeTool() throws IOException {
        Path nvrc = unpacked.resolve("usr/lib/nvrc");
        List<Path> jars;
        try (Stream<Path> files = Files.walk(nvrc)) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        assertThat(jars).contains(nvrc.resolve("nvrc.jar"))
                .noneMatch(j -> j.getFileName().toString().contains("imagetools"));
        List<String> entries = new ArrayList<>();
        for (Path jar : jars) {
            try (JarFile j = new JarFile(jar.toFile())) {
                j.stream().map(e -> nvrc.relativize(jar) + "!" + e.getName()).forEach(entries::add);
            }
        }
        assertThat(entries).anyMatch(e -> e.equals("nvrc.jar!dev/nvrc/launcher/Main.class"))
                .noneMatch(e -> e.contains("dev/nvrc/imagetools/") || e.contains("dev/nvrc/launcher/image/")
                        || e.contains("CdsTraining") || e.contains("ImageSbom") || e.contains("VerifyImage"));
        if (Files.isRegularFile(nvrc.resolve("nvrc-sbom.json"))) {   // absent from an offline build
            assertThat(Files.readString(nvrc.resolve("nvrc-sbom.json"))).doesNotContain("nvrc-imagetools");
        }
    }

    /** The {@code e_machine} of an ELF file (little-endian, as both architectures are). */
    private static int elfMachine(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] header = in.readNBytes(20);
            assertThat(header).as(file.toString()).hasSize(20).startsWith(0x7f, 'E', 'L', 'F');
            return (header[18] & 0xff) | (header[19] & 0xff) << 8;
        }
    }

    @Test
    void everyProgramAndLibraryIsOfTheImagesArchitecture() throws IOException {
        List<String> elves = List.of("init", "sbin/init", "usr/lib/nvrc/bin/nvrc-init", "usr/lib/nvrc/jre/bin/nvrc",
                "usr/lib/nvrc/jre/bin/java", "usr/lib/nvrc/jre/lib/server/libjvm.so", "usr/lib/nvrc/jffi/libjffi-1.2.so",
                "usr/lib/nvrc/sysroot/libc.so.6", "usr/lib/nvrc/sysroot/libstdc++.so.6");
        for (String path : elves) {
            assertThat(elfMachine(unpacked.resolve(path))).as("%s of the %s image", path, ARCH).isEqualTo(ELF_MACHINE.get(ARCH));
        }
    }

    @Test
    void everyDebianPackageOfTheImageIsOfItsArchitecture() throws IOException {
        List<String> debs = sbom(ImageSbom.IMAGE_SBOM_PATH).findValuesAsText("purl").stream()
                .filter(p -> p.startsWith("pkg:deb/")).toList();
        assertThat(debs).isNotEmpty().allSatisfy(p -> assertThat(p).contains("?arch=" + ARCH.debian() + "&"))
                .anySatisfy(p -> assertThat(p).startsWith("pkg:deb/debian/libc6@"))
                .anySatisfy(p -> assertThat(p).startsWith("pkg:deb/debian/openjdk-17-jre-headless@"));
    }

    @Test
    void bothSbomsAreValidCycloneDx16() throws IOException {
        for (String path : List.of(ImageSbom.JAR_SBOM_PATH, ImageSbom.IMAGE_SBOM_PATH)) {
            JsonNode bom = sbom(path);
            assertThat(bom.path("specVersion").asText()).as(path).isEqualTo("1.6");
            assertThat(schemaErrors(bom)).as(path).isEmpty();
        }
    }

    @Test
    void theSchemaCheckCatchesABrokenSbom() throws IOException {
        JsonNode broken = sbom(ImageSbom.IMAGE_SBOM_PATH).deepCopy();
        ((ObjectNode) broken.path("components").get(0)).put("type", "gadget");
        assertThat(schemaErrors(broken)).isNotEmpty();
    }

    @Test
    void theImageSbomListsEveryShippedFileButTheCdsArchiveWithItsHash() throws IOException {
        Map<String, String> listed = ImageInventory.listed(sbom(ImageSbom.IMAGE_SBOM_PATH));
        assertThat(ImageInventory.differences(listed, ImageInventory.present(unpacked))).isEmpty();
        assertThat(listed).containsKeys("/init", "/sbin/init", "/usr/lib/nvrc/nvrc.jar", "/usr/lib/nvrc/jre/lib/modules",
                "/usr/lib/nvrc/jre/bin/nvrc", "/usr/lib/nvrc/sysroot/libc.so.6");
        assertThat(Files.isRegularFile(unpacked.resolve(ImageInventory.CDS_ARCHIVE_PATH))).isTrue();
    }

    @Test
    void everyJarIsAMavenComponentAndEveryRuntimeModuleIsListed() throws IOException {
        JsonNode bom = sbom(ImageSbom.IMAGE_SBOM_PATH);
        List<String> jars;
        try (var files = Files.list(unpacked.resolve("usr/lib/nvrc/lib"))) {
            jars = files.map(p -> "/usr/lib/nvrc/lib/" + p.getFileName()).sorted().toList();
        }
        List<String> mavenJars = new ArrayList<>();
        List<String> modules = new ArrayList<>();
        List<String> debs = new ArrayList<>();
        for (JsonNode c : bom.path("components")) {
            String purl = c.path("purl").asText();
            if (purl.startsWith("pkg:maven/")) {
                c.path("properties").forEach(p -> mavenJars.add(p.path("value").asText()));
            } else if (purl.startsWith("pkg:deb/")) {
                debs.add(c.path("name").asText());
            }
            c.path("components").forEach(n -> {
                if (n.path("bom-ref").asText().startsWith("jdk-module:")) {
                    modules.add(n.path("name").asText());
                }
            });
        }
        assertThat(mavenJars).containsAll(jars).contains("/usr/lib/nvrc/nvrc.jar");
        String release = Files.readString(unpacked.resolve("usr/lib/nvrc/jre/release"));
        String declared = release.replaceAll("(?s).*\nMODULES=\"([^\"]*)\".*", "$1");
        assertThat(modules).containsExactly(declared.trim().split("\\s+"));
        // On the Debian build hosts of setup.sh, every copied library has an owning package.
        assertThat(debs).contains("libc6");
        assertThat(bom.path("components").findValuesAsText("bom-ref")).noneMatch(r -> r.startsWith("unowned:"));
    }

    @Test
    void theSbomsBesideTheTarballAreTheOnesInside() throws IOException {
        Path target = IMAGE.getParent();
        sbom(ImageSbom.IMAGE_SBOM_PATH);
        String besides = IMAGE.getFileName().toString().replace(".tar.gz", "-sbom.json");
        assertThat(Files.readString(target.resolve(besides)))
                .isEqualTo(Files.readString(unpacked.resolve(ImageSbom.IMAGE_SBOM_PATH)));
        assertThat(Files.readString(target.resolve("nvrc-sbom.json")))
                .isEqualTo(Files.readString(unpacked.resolve(ImageSbom.JAR_SBOM_PATH)));
    }
}
