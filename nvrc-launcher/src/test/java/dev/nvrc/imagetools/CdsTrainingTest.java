package dev.nvrc.imagetools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training of nvrc-imagetools against the real launcher (here, in the launcher's tests: the
 * tools module comes first in the reactor and finds the launcher only on the image's class path).
 */
class CdsTrainingTest {
    private static String run(String classPath, int[] status) {
        return run(classPath, null, status);
    }

    private static String run(String classPath, Path scratch, int[] status) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        status[0] = CdsTraining.run(classPath, scratch, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void trainingRunsTheCommandLinePathsAndLoadsTheNvrcClasses() {
        int[] status = new int[1];
        String out = run(System.getProperty("java.class.path"), status);
        assertThat(status[0]).as(out).isZero();
        assertThat(out).containsPattern("command-line paths run, \\d+ nvrc classes loaded").doesNotContain("FAILED");
        int loaded = Integer.parseInt(out.replaceAll("(?s).*run, (\\d+) nvrc classes.*", "$1"));
        assertThat(loaded).isGreaterThan(10);
    }

    @Test
    void withAScratchDirectoryItAlsoPlansAFixture(@TempDir Path scratch) {
        int[] status = new int[1];
        String out = run("", scratch, status);
        assertThat(status[0]).as(out).isZero();
        assertThat(scratch.resolve("machine/sys/bus/pci/devices/0000:10:00.0/vendor")).hasContent("0x10de");
        assertThat(scratch.resolve("boot.json")).exists();
    }

    @Test
    void withCliItAlsoRunsTheToolOnlyPaths(@TempDir Path scratch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = CdsTraining.run("", scratch, true, new PrintStream(out, true, StandardCharsets.UTF_8));
        assertThat(status).as(out.toString(StandardCharsets.UTF_8)).isZero();
    }

    /** What the archive gets is what a fresh JVM running the training loads: no data binding. */
    @Test
    void theBootPathTrainingLoadsNoDataBindingButTheCliDoes(@TempDir Path dir) throws Exception {
        assertThat(loadedClasses(dir, "boot", false)).anyMatch(c -> c.startsWith("com/fasterxml/jackson/core/"))
                .noneMatch(c -> c.startsWith("com/fasterxml/jackson/databind/"));
        assertThat(loadedClasses(dir, "cli", true)).anyMatch(c -> c.startsWith("com/fasterxml/jackson/databind/"));
    }

    private static List<String> loadedClasses(Path dir, String name, boolean cli) throws Exception {
        Path list = dir.resolve(name + ".lst");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:off", "-XX:DumpLoadedClassList=" + list, "-cp", System.getProperty("java.class.path"),
                CdsTraining.class.getName(), "--quiet", "--scratch", dir.resolve(name).toString()));
        if (cli) {
            command.add("--cli");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        return Files.readAllLines(list);
    }

    @Test
    void anUnwritableScratchDirectoryIsAProblem(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        int[] status = new int[1];
        String out = run("", file, status);
        assertThat(status[0]).isEqualTo(1);
        assertThat(out).contains("cds-train: FAILED cannot write the fixture in " + file);
    }

    @Test
    void findsClassesInJarsAndDirectoriesButNothingElse(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes.resolve("dev/nvrc/x"));
        Files.write(classes.resolve("dev/nvrc/x/A.class"), new byte[0]);
        Files.write(classes.resolve("dev/nvrc/x/package-info.class"), new byte[0]);
        Files.write(classes.resolve("dev/nvrc/x/notes.txt"), new byte[0]);
        Path jar = dir.resolve("lib.jar");
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("dev/nvrc/y/B.class", "org/other/C.class", "module-info.class")) {
                j.putNextEntry(new JarEntry(name));
                j.closeEntry();
            }
        }
        List<String> problems = new ArrayList<>();
        List<String> names = CdsTraining.nvrcClasses(
                String.join(File.pathSeparator, classes.toString(), "", jar.toString(), dir.resolve("absent").toString()),
                problems);
        assertThat(names).containsExactly("dev.nvrc.x.A", "dev.nvrc.y.B");
        assertThat(problems).isEmpty();
    }

    @Test
    void anUnreadableJarIsAProblemThatFailsTheTraining(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.jar");
        Files.writeString(bad, "not a zip");
        int[] status = new int[1];
        String out = run(bad.toString(), status);
        assertThat(status[0]).isEqualTo(1);
        assertThat(out).contains("cds-train: FAILED cannot read class path entry " + bad);
    }

    @Test
    void classNameOnlyForNvrcClassFiles() {
        assertThat(CdsTraining.className("dev/nvrc/launcher/Main.class")).isEqualTo("dev.nvrc.launcher.Main");
        assertThat(CdsTraining.className("dev/nvrc/launcher/Cli$1.class")).isEqualTo("dev.nvrc.launcher.Cli$1");
        assertThat(CdsTraining.className("dev/nvrc/launcher/package-info.class")).isNull();
        assertThat(CdsTraining.className("dev/nvrc/launcher/")).isNull();
        assertThat(CdsTraining.className("com/x/Y.class")).isNull();
        assertThat(CdsTraining.className("dev/nvrc/imagetools/CdsTraining.class")).as("the tools are not in the image").isNull();
    }
}
