package dev.nvrc.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/library.md shows exactly the examples the build compiles and runs, each with the imports it
 * needs, and they use only the api. Here, in the last library module, because the examples live in
 * the test sources of the modules they use: nvrc-gpu's (parse, detect, cdi) and this one's (plan).
 */
class LibraryDocTest {
    /** Surefire runs in the module's directory. */
    static final Path DOC = Path.of("../docs/library.md");
    static final List<Path> EXAMPLES = List.of(Path.of("../nvrc-gpu/src/test/java/dev/nvrc/examples/LibraryExamples.java"),
            Path.of("src/test/java/dev/nvrc/examples/PlanExamples.java"));
    private static final Pattern IMPORT = Pattern.compile("^import ([\\w.]+)\\.([A-Z]\\w*);$");

    private static final Pattern BEGIN = Pattern.compile("^\\s*// example: ([a-z-]+)\\s*$");
    private static final Pattern END = Pattern.compile("^\\s*// end example\\s*$");

    /** The marked regions of the examples' source by name, in file order, without their indentation. */
    static Map<String, String> regions(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            Matcher begin = BEGIN.matcher(line);
            if (begin.matches()) {
                assertThat(name).as("example %s starts inside example %s", begin.group(1), name).isNull();
                name = begin.group(1);
                body.clear();
            } else if (END.matcher(line).matches()) {
                assertThat(name).as("an end example line without its start").isNotNull();
                assertThat(out.put(name, dedent(body))).as("example %s twice", name).isNull();
                name = null;
            } else if (name != null) {
                body.add(line);
            }
        }
        assertThat(name).as("example %s never ends", name).isNull();
        return out;
    }

    /** The contents of every {@code ```java} block of a Markdown page, in page order. */
    static List<String> javaBlocks(List<String> lines) {
        List<String> out = new ArrayList<>();
        StringBuilder block = null;
        for (String line : lines) {
            if (block == null && line.equals("```java")) {
                block = new StringBuilder();
            } else if (block != null && line.equals("```")) {
                out.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        assertThat(block).as("a java block that never ends").isNull();
        return out;
    }

    private static String dedent(List<String> body) {
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        StringBuilder sb = new StringBuilder();
        for (String line : body) {
            sb.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return sb.toString();
    }

    /**
     * A region as the page shows it: the imports of its file that it uses (in the file's order),
     * a blank line, then the region, so that a reader can paste it into a class of their own.
     */
    static String withImports(String region, List<String> fileLines) {
        StringBuilder sb = new StringBuilder();
        for (String line : fileLines) {
            Matcher m = IMPORT.matcher(line);
            if (m.matches() && Pattern.compile("\\b" + m.group(2) + "\\b").matcher(region).find()) {
                sb.append(line).append('\n');
            }
        }
        return sb.append('\n').append(region).toString();
    }

    @Test
    void everyJavaBlockOfTheLibraryPageIsTheExampleTheBuildRunsWithItsImports() throws IOException {
        Map<String, String> shown = new LinkedHashMap<>();
        for (Path examples : EXAMPLES) {
            List<String> lines = Files.readAllLines(examples);
            regions(lines).forEach((name, region) -> shown.put(name, withImports(region, lines)));
        }

        assertThat(shown).containsOnlyKeys("parse", "detect", "cdi", "plan");
        assertThat(shown.get("cdi")).startsWith("import dev.nvrc.core.api.NvrcException;\n"
                + "import dev.nvrc.gpu.api.NvidiaCdiSpec;\nimport java.nio.file.Path;\nimport java.util.List;\n\n");
        List<String> blocks = javaBlocks(Files.readAllLines(DOC));
        assertThat(blocks).as("the page's java blocks: the examples, then the consumer's Main")
                .startsWith(shown.values().toArray(String[]::new));
    }

    @Test
    void theExamplesUseOnlyTheApiPackagesAndTheJdk() throws IOException {
        for (Path examples : EXAMPLES) {
            theExampleUsesOnlyTheApiPackagesAndTheJdk(examples);
        }
    }

    private static void theExampleUsesOnlyTheApiPackagesAndTheJdk(Path examples) throws IOException {
        String source = Files.readString(examples);
        Matcher m = Pattern.compile("\\bdev\\.nvrc\\.[A-Za-z0-9_.]+").matcher(source);
        List<String> nvrc = new ArrayList<>();
        while (m.find()) {
            nvrc.add(m.group());
        }
        assertThat(nvrc).isNotEmpty().allSatisfy(name -> assertThat(name)
                .matches("dev\\.nvrc\\.examples|dev\\.nvrc\\.[a-z]+\\.api\\.[A-Z][A-Za-z]*"));
        assertThat(Pattern.compile("(?m)^import (?!dev\\.nvrc\\.[a-z]+\\.api\\.|java\\.)").matcher(source).find())
                .as("an import outside the api packages and the JDK").isFalse();
    }

    @Test
    void regionsAndBlocksAreReadAsWritten() {
        List<String> source = List.of("class X {", "    // example: a", "    void a() {", "", "        x();",
                "    }", "    // end example", "}");
        List<String> page = List.of("text", "```java", "void a() {", "", "    x();", "}", "```", "```sh", "ls", "```");

        assertThat(regions(source)).containsExactly(Map.entry("a", "void a() {\n\n    x();\n}\n"));
        assertThat(javaBlocks(page)).containsExactly("void a() {\n\n    x();\n}\n");
    }
}
