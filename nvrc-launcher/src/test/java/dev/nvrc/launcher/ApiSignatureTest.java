package dev.nvrc.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nvrc.core.api.ModeDecision;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rule of docs/library.md, checked on the compiled classes of every library module: an
 * {@code api} class shows only JDK types ({@code java.*}, {@code javax.*}) and {@code api} types in
 * its public and protected signatures, generic arguments, bounds and exceptions included; so the
 * internals stay free to change.
 */
class ApiSignatureTest {
    /** One class of each library module, to find the module's classes (a directory or a jar). */
    private static final List<Class<?>> LIBRARY_MODULES = List.of(dev.nvrc.core.NvrcPaths.class,
            dev.nvrc.kernel.LinuxPorts.class, dev.nvrc.gpu.GpuSteps.class, dev.nvrc.fabric.FabricSteps.class,
            dev.nvrc.plan.BootPlan.class);

    @Test
    void everyApiSignatureUsesOnlyJdkAndApiTypes() throws Exception {
        Map<String, List<String>> violations = new TreeMap<>();
        for (Class<?> api : apiClasses()) {
            List<String> found = violations(api);
            if (!found.isEmpty()) {
                violations.put(api.getName(), found);
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void theApiPackagesAreTheDocumentedOnes() throws Exception {
        Set<String> packages = new TreeSet<>();
        for (Class<?> api : apiClasses()) {
            packages.add(api.getPackageName());
        }
        assertThat(packages).containsExactly("dev.nvrc.core.api", "dev.nvrc.gpu.api", "dev.nvrc.plan.api");
        assertThat(apiClasses()).extracting(Class::getSimpleName).contains("Settings", "PciTopology", "PciFunction",
                "ModeDecision", "Mode", "NvLink", "RailPolicy", "NvrcException", "Daemon", "VerityParameters",
                "NvidiaCdiSpec", "CdiSpecOptions", "GuestPlan", "PlannedStep");
    }

    @Test
    void theCheckFindsInternalTypesWhereverTheyHide() {
        // The check itself must be able to fail: internal classes break the rule in each position.
        assertThat(violations(dev.nvrc.core.topology.ModeDetector.class)).anySatisfy(v -> assertThat(v)
                .contains("decide", "dev.nvrc.core.cmdline.BootConfig"));
        assertThat(violations(dev.nvrc.core.extension.GuestExtensions.class)).anySatisfy(v -> assertThat(v)
                .contains("record component extensions", "dev.nvrc.core.extension.GuestExtension"));
        assertThat(violations(dev.nvrc.core.topology.TopologyReader.class)).anySatisfy(v -> assertThat(v)
                .contains("throws", "dev.nvrc.core.BootFailure"));
        assertThat(violations(dev.nvrc.core.GuestLayout.class)).anySatisfy(v -> assertThat(v)
                .contains("detect", "dev.nvrc.core.NvrcPaths"));
        assertThat(violations(dev.nvrc.core.api.Settings.class)).isEmpty();
    }

    /** Every class of the library modules in an {@code api} package. */
    static List<Class<?>> apiClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        List<Class<?>> out = new ArrayList<>();
        for (Class<?> anchor : LIBRARY_MODULES) {
            Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (String name : classNames(location)) {
                if (name.matches("dev\\.nvrc\\.[a-z]+\\.api\\.[^.]+") && !name.endsWith("package-info")) {
                    out.add(Class.forName(name, false, anchor.getClassLoader()));
                }
            }
        }
        return out;
    }

    private static List<String> classNames(Path location) throws IOException {
        List<String> names = new ArrayList<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                files.filter(f -> f.toString().endsWith(".class"))
                        .forEach(f -> names.add(toClassName(location.relativize(f).toString())));
            }
        } else {
            try (JarFile jar = new JarFile(location.toFile())) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                    String entry = e.nextElement().getName();
                    if (entry.endsWith(".class")) {
                        names.add(toClassName(entry));
                    }
                }
            }
        }
        assertThat(names).as("classes at %s", location).isNotEmpty();
        return names;
    }

    private static String toClassName(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.').replace('\\', '.');
    }

    /** Every place a public or protected signature of {@code type} shows a type outside the JDK and the api. */
    static List<String> violations(Class<?> type) {
        List<String> out = new ArrayList<>();
        if (!Modifier.isPublic(type.getModifiers())) {
            return out;
        }
        check(out, "superclass", type.getGenericSuperclass());
        for (Type i : type.getGenericInterfaces()) {
            check(out, "interface", i);
        }
        for (TypeVariable<?> v : type.getTypeParameters()) {
            check(out, "type parameter " + v.getName(), v);
        }
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                check(out, "record component " + c.getName(), c.getGenericType());
            }
        }
        for (Field f : type.getDeclaredFields()) {
            if (visible(f)) {
                check(out, "field " + f.getName(), f.getGenericType());
            }
        }
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (visible(c)) {
                executable(out, "constructor", c);
            }
        }
        for (Method m : type.getDeclaredMethods()) {
            if (visible(m) && !m.isBridge()) {
                executable(out, "method " + m.getName(), m);
                check(out, "method " + m.getName() + " returns", m.getGenericReturnType());
            }
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            if (Modifier.isPublic(nested.getModifiers()) || Modifier.isProtected(nested.getModifiers())) {
                violations(nested).forEach(v -> out.add(nested.getSimpleName() + ": " + v));
            }
        }
        return out;
    }

    private static boolean visible(Member m) {
        return !m.isSynthetic() && (Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers()));
    }

    private static void executable(List<String> out, String where, Executable e) {
        for (TypeVariable<?> v : e.getTypeParameters()) {
            check(out, where + " type parameter " + v.getName(), v);
        }
        for (Type p : e.getGenericParameterTypes()) {
            check(out, where + " parameter", p);
        }
        for (Type t : e.getGenericExceptionTypes()) {
            check(out, where + " throws", t);
        }
    }

    private static void check(List<String> out, String where, Type type) {
        check(out, where, type, new HashSet<>());
    }

    private static void check(List<String> out, String where, Type type, Set<Type> seen) {
        if (type == null || !seen.add(type)) {
            return;
        }
        if (type instanceof Class<?> c) {
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (!c.isPrimitive() && !allowed(c.getPackageName())) {
                out.add(where + ": " + c.getName());
            }
        } else if (type instanceof ParameterizedType p) {
            check(out, where, p.getRawType(), seen);
            check(out, where, p.getOwnerType(), seen);
            for (Type a : p.getActualTypeArguments()) {
                check(out, where, a, seen);
            }
        } else if (type instanceof WildcardType w) {
            for (Type b : w.getUpperBounds()) {
                check(out, where, b, seen);
            }
            for (Type b : w.getLowerBounds()) {
                check(out, where, b, seen);
            }
        } else if (type instanceof TypeVariable<?> v) {
            for (Type b : v.getBounds()) {
                check(out, where, b, seen);
            }
        } else if (type instanceof GenericArrayType a) {
            check(out, where, a.getGenericComponentType(), seen);
        }
    }

    private static boolean allowed(String packageName) {
        return packageName.startsWith("java.") || packageName.startsWith("javax.")
                || packageName.matches("dev\\.nvrc\\.[a-z]+\\.api");
    }
}
