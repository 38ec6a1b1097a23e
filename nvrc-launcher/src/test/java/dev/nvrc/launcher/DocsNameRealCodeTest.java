package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.plan.BootPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every class a document names in code quotes ({@code `BootPlan`}, {@code `BootPlan.walk`}) exists
 * in the repository, and so does every method named after it. docs/design-changes.md is history
 * and may name what is gone. Names of other projects' classes (the JDK, jffi, jnr) are listed here.
 */
class DocsNameRealCodeTest {
    static final Path ROOT = Path.of("..");
    /** Classes of the JDK and of libraries that the docs name, and words in the same shape that are no class. */
    static final Set<String> NOT_OURS = Set.of("AccessDeniedException", "ClassLoadingMXBean", "Files", "Function",
            "HeapInvocationBuffer", "IOException", "IllegalArgumentException", "InfiniBand", "Invoker", "KnownOIDs",
            "LambdaMetafactory", "LibraryLoader", "Memory", "MessageDigest", "ObjectMethods", "OutOfMemoryError", "Path",
            "POSIXFactory", "ProcessBuilder", "Runtime", "SecureRandom", "ServiceLoader", "StringBuilder",
            "StringLatin1", "System", "TempFileHelper", "ThreadLocalRandom", "Unsafe", "V5", "VA");
    static final Pattern NAME = Pattern.compile("`([A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*)(?:[.#]([a-z][A-Za-z0-9]*))?(?:\\([^`]*\\))?`");

    @Test
    void everyClassAndMethodADocNamesExists() throws IOException {
        Map<String, Path> sources = new HashMap<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("/target/")
                    && !p.toString().contains("/.git/"))
                    .forEach(p -> sources.put(p.getFileName().toString().replace(".java", ""), p));
        }
        assertThat(sources).containsKey("BootPlan");
        List<Path> docs = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md") && !p.endsWith("design-changes.md")).sorted().forEach(docs::add);
        }
        List<String> unknown = new ArrayList<>();
        for (Path doc : docs) {
            Matcher m = NAME.matcher(Files.readString(doc));
            while (m.find()) {
                String type = m.group(1);
                if (NOT_OURS.contains(type)) {
                    continue;
                }
                Path source = sources.get(type);
                if (source == null) {
                    unknown.add(doc.getFileName() + ": " + m.group());
                } else if (m.group(2) != null
                        && !Pattern.compile("\\b" + m.group(2) + "\\b").matcher(Files.readString(source)).find()) {
                    unknown.add(doc.getFileName() + ": " + m.group() + " (no " + m.group(2) + " in " + type + ")");
                }
            }
        }
        assertThat(unknown).as("names in the docs that the code does not have").isEmpty();
    }
}
