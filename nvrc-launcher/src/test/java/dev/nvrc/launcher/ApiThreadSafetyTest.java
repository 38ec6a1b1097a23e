package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What docs/library.md says of every api type's thread safety, backed by the code: each api class is
 * final (a record or an enum included), every instance field of it is final and of a type whose
 * instances do not change (the JDK's immutable values, the collections the constructors copy into
 * unmodifiable ones, other api types, or internal values that are themselves final all the way
 * down), and the page's tables give each api type a word on threads.
 */
class ApiThreadSafetyTest {
    /** JDK types whose instances never change (collections: the constructors copy them, CoreApiTest and GuestPlanTest check). */
    private static final Set<Class<?>> IMMUTABLE_JDK = Set.of(String.class, Integer.class, Long.class, Boolean.class,
            Optional.class, List.class, Map.class, Set.class, java.time.Duration.class, java.util.regex.Pattern.class);

    @Test
    void everyApiClassIsFinalWithFinalFieldsOfUnchangingTypes() throws Exception {
        List<String> problems = new ArrayList<>();
        for (Class<?> api : publicApiClasses()) {
            if (api.isInterface() || !Modifier.isFinal(api.getModifiers())) {
                problems.add(api.getName() + " is not final");
            }
            checkFields(api, problems, 0);
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void theCheckFindsAMutableField() {
        List<String> problems = new ArrayList<>();
        checkFields(StringBuilder.class, problems, 0);
        checkFields(Mutable.class, problems, 0);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Mutable.count is not final"))
                .anySatisfy(p -> assertThat(p).contains("Mutable.names: java.util.ArrayList"));
    }

    @Test
    void theLibraryPageNamesEveryApiTypesThreadSafety() throws Exception {
        List<String> rows = Files.readAllLines(Path.of("../docs/library.md")).stream()
                .filter(l -> l.startsWith("| `")).toList();
        for (Class<?> api : publicApiClasses()) {
            String name = "`" + api.getSimpleName() + "`";
            assertThat(rows).as("a row of docs/library.md's api tables for %s", name)
                    .anySatisfy(row -> assertThat(row.substring(0, row.indexOf(" | ", 2))).contains(name)
                            .satisfies(r -> assertThat(row.split(" \\| ")).as("with a threads column").hasSize(3)));
        }
    }

    /** The api's public classes: what a user can hold (a switch's synthetic class or a private helper is none). */
    private static List<Class<?>> publicApiClasses() throws Exception {
        return ApiSignatureTest.apiClasses().stream()
                .filter(c -> Modifier.isPublic(c.getModifiers()) && !c.isSynthetic() && !c.isAnonymousClass()).toList();
    }

    /** Adds a line for each instance field of {@code type} that is not final or of a type that may change. */
    private static void checkFields(Class<?> type, List<String> problems, int depth) {
        for (Field f : type.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            String where = type.getSimpleName() + "." + f.getName();
            if (!Modifier.isFinal(f.getModifiers())) {
                problems.add(where + " is not final");
            }
            Class<?> t = f.getType();
            if (t.isPrimitive() || t.isEnum() || IMMUTABLE_JDK.contains(t)
                    || t.getPackageName().matches("dev\\.nvrc\\.[a-z]+\\.api")) {
                continue;
            }
            if (t.getPackageName().startsWith("dev.nvrc.") && Modifier.isFinal(t.getModifiers()) && depth < 4) {
                checkFields(t, problems, depth + 1); // an internal value: final all the way down
            } else {
                problems.add(where + ": " + t.getName() + " may change");
            }
        }
    }

    /** A class the check must refuse. */
    @SuppressWarnings("unused")
    private static final class Mutable {
        private int count;
        private final ArrayList<String> names = new ArrayList<>();
    }
}
