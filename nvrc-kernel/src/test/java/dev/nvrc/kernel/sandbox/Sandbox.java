package dev.nvrc.kernel.sandbox;

import dev.nvrc.core.Arch;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.ExitStatus;
import dev.nvrc.kernel.process.ChildOutput;
import dev.nvrc.kernel.process.ChildProcess;
import dev.nvrc.kernel.process.LinuxProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs a {@link Scenario} as PID 1 of fresh user+pid+mount+net namespaces, entered from the
 * unprivileged user {@value #USER}:
 *
 * <pre>
 * setpriv --reuid=nvrcsbx --regid=nvrcsbx --init-groups --reset-env \
 *   unshare --user --map-root-user --pid --mount --net --fork --kill-child \
 *   java &lt;boot flags&gt; -cp &lt;copied classpath&gt; dev.nvrc.kernel.sandbox.Scenario &lt;name&gt; &lt;args&gt;
 * </pre>
 *
 * <p>The unprivileged user cannot read the build's classpath (/root/.m2), so the jars and class
 * directories are copied into a fresh world-readable directory first, with libjffi extracted the way
 * the boot image has it. Nothing is ever started from root into a user namespace: when this JVM
 * runs as root the command always goes through setpriv, and the scenario itself refuses to run when
 * its uid_map maps host root. The harness is started with nvrc's own {@link LinuxProcessRunner}
 * (posix_spawn), never ProcessBuilder.
 *
 * <p>Where the sandbox cannot work (no setpriv/unshare, no user, user namespaces disabled) the tests
 * are skipped with the reason; with {@code CI=true} that is a failure instead.
 */
public final class Sandbox {
    /** The unprivileged user the sandbox is entered from (created by scripts/setup.sh). */
    public static final String USER = "nvrcsbx";
    private static final List<String> JVM_FLAGS = List.of(
            "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss256k", "-XX:CICompilerCount=1", "-Xmx64m",
            "-XX:-UsePerfData", "-XX:ReservedCodeCacheSize=16m", "-Xshare:auto");
    private static Sandbox prepared;

    /** How a scenario's JVM is placed in the new PID namespace. */
    public enum Position {
        /** The JVM is PID 1. */
        PID1,
        /** A shell is PID 1 and the JVM its child (to test the guards inside a namespace). */
        CHILD
    }

    private final Path root;
    private final String classpath;
    private final String java;
    private final Path jffiDir;
    private final boolean viaSetpriv;
    private final Optional<JacocoAgent> jacoco;
    private final LinuxProcessRunner runner = new LinuxProcessRunner();
    private final AtomicInteger runs = new AtomicInteger();

    private Sandbox(Path root, String classpath, Path jffiDir, boolean viaSetpriv, Optional<JacocoAgent> jacoco) {
        this.root = root;
        this.classpath = classpath;
        this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.jffiDir = jffiDir;
        this.viaSetpriv = viaSetpriv;
        this.jacoco = jacoco;
    }

    /** The prepared sandbox, or a skipped (CI: failed) test with the reason it is unavailable. */
    public static synchronized Sandbox require() {
        if (prepared == null) {
            String reason = unavailableReason();
            if (reason != null) {
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail("sandbox unavailable and CI=true: " + reason);
                }
                System.out.println("SKIP sandbox tests: " + reason);
                Assumptions.abort("sandbox unavailable: " + reason);
            }
            try {
                prepared = prepare();
            } catch (IOException | BootFailure | InterruptedException e) {
                throw new IllegalStateException("cannot prepare the sandbox: " + e.getMessage(), e);
            }
        }
        return prepared;
    }

    /** How to run a scenario. */
    public record Options(Position position, Duration timeout, boolean coverage, String mainClass) {
        /** As PID 1, killed after two minutes, with coverage when this JVM collects it. */
        public static final Options DEFAULT =
                new Options(Position.PID1, Duration.ofSeconds(120), true, Scenario.class.getName());

        /** The same at another position. */
        public Options at(Position p) {
            return new Options(p, timeout, coverage, mainClass);
        }

        /** The same without a coverage agent (for timings). */
        public Options withoutCoverage() {
            return new Options(position, timeout, false, mainClass);
        }

        /**
         * The same, running {@code mainClass} (from this JVM's test classpath) with the arguments
         * only, instead of a {@link Scenario}: how other modules run their own programs as PID 1.
         */
        public Options withMain(String otherMain) {
            return new Options(position, timeout, coverage, otherMain);
        }
    }

    /** Runs {@code scenario} as PID 1 and returns what it printed. */
    public SandboxResult run(String scenario, String... args) throws Exception {
        return run(Options.DEFAULT, scenario, args);
    }

    /** Runs {@code scenario} as {@code options} say. */
    public SandboxResult run(Options options, String scenario, String... args) throws Exception {
        int n = runs.incrementAndGet();
        Path out = root.resolve("out/" + n + "-" + scenario + ".stdout");
        // The JVM's stderr is redirected by the shell in the namespace, so the file belongs to the sandbox user.
        Path err = root.resolve("out/" + n + "-" + scenario + ".stderr");
        Files.createFile(out);
        Optional<Path> exec = options.coverage() ? jacoco.map(j -> root.resolve("out/" + n + "-" + scenario + ".exec")) : Optional.empty();
        List<String> argv = command(options, err, scenario, exec, args);
        Duration timeout = options.timeout();
        ChildProcess child = runner.spawn(new Command("sandbox " + scenario, argv, Map.of("PATH", "/usr/bin:/bin")),
                ChildOutput.toFile(out));
        long start = System.nanoTime();
        Optional<ExitStatus> status = child.awaitExit(timeout);
        if (status.isEmpty()) {
            child.kill(ChildProcess.SIGKILL);
            status = child.awaitExit(Duration.ofSeconds(10));
        }
        double wall = (System.nanoTime() - start) / 1e6;
        exec.ifPresent(e -> jacoco.get().merge(e));
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        return new SandboxResult(scenario, status.orElse(ExitStatus.killed(ChildProcess.SIGKILL)), stdout,
                Files.exists(err) ? Files.readString(err) : "", wall);
    }

    /** A fresh empty directory the scenario may mount over (on the host it stays empty). */
    public Path scratch() throws IOException {
        Path dir = root.resolve("scratch-" + runs.get() + "-" + System.nanoTime());
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return dir;
    }

    private List<String> command(Options options, Path err, String scenario, Optional<Path> exec, String... args) {
        Position position = options.position();
        List<String> jvm = new ArrayList<>();
        jvm.add(java);
        jvm.addAll(JVM_FLAGS);
        jvm.add("-Djava.io.tmpdir=" + root.resolve("tmp"));
        if (jffiDir != null) {
            jvm.add("-Djffi.boot.library.path=" + jffiDir);
        }
        exec.ifPresent(e -> jvm.add(jacoco.get().option(e)));
        jvm.add("-cp");
        jvm.add(classpath);
        jvm.add(options.mainClass());
        if (options.mainClass().equals(Scenario.class.getName())) {
            jvm.add(scenario);
        }
        jvm.addAll(List.of(args));

        List<String> argv = new ArrayList<>();
        if (viaSetpriv) {
            argv.addAll(List.of("/usr/bin/setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--reset-env"));
        }
        argv.addAll(List.of("/usr/bin/unshare", "--user", "--map-root-user", "--pid", "--mount", "--net", "--fork", "--kill-child"));
        if (position == Position.CHILD) {
            // sh stays PID 1 because the JVM is not its last command.
            argv.addAll(List.of("/bin/sh", "-c", "\"$@\" 2>>" + err + "; exit $?", "sh"));
        } else {
            argv.addAll(List.of("/bin/sh", "-c", "exec \"$@\" 2>>" + err, "sh"));
        }
        argv.addAll(jvm);
        return argv;
    }

    /** Null when the sandbox can run here, else why not. */
    static String unavailableReason() {
        if (Boolean.getBoolean("nvrc.sandbox.skip")) {
            return "skipped with -Dnvrc.sandbox.skip=true";
        }
        if (!System.getProperty("os.name").equals("Linux")) {
            return "not Linux";
        }
        for (String tool : List.of("/usr/bin/unshare", "/usr/bin/setpriv")) {
            if (!Files.isExecutable(Path.of(tool))) {
                return tool + " not found (util-linux)";
            }
        }
        try {
            if (SandboxSafety.realUid() == 0) {
                long uid = SandboxSafety.uidOf(USER);
                if (uid < 0) {
                    return "user " + USER + " does not exist (run scripts/setup.sh as root)";
                }
                if (uid == 0) {
                    return "user " + USER + " has uid 0: refusing, the sandbox must be entered from an unprivileged uid";
                }
            }
            Path maxNs = Path.of("/proc/sys/user/max_user_namespaces");
            if (Files.exists(maxNs) && Files.readString(maxNs).trim().equals("0")) {
                return "user namespaces disabled (user.max_user_namespaces = 0)";
            }
        } catch (IOException e) {
            return "cannot check the sandbox prerequisites: " + e.getMessage();
        }
        return null;
    }

    private static Sandbox prepare() throws IOException, BootFailure, InterruptedException {
        boolean viaSetpriv = SandboxSafety.realUid() == 0;
        Path root = sandboxRoot();
        Path cp = Files.createDirectory(root.resolve("cp"));
        mkdir(root.resolve("tmp"), "rwxrwxrwx");
        mkdir(root.resolve("out"), "rwxrwxrwx");
        StringBuilder classpath = new StringBuilder();
        Path nativeJar = null;
        int i = 0;
        for (Path entry : testClasspath()) {
            Path copy = cp.resolve((i++) + "-" + entry.getFileName());
            if (Files.isDirectory(entry)) {
                copyTree(entry, copy);
            } else {
                Files.copy(entry, copy, StandardCopyOption.COPY_ATTRIBUTES);
                if (entry.getFileName().toString().matches("jffi-.*-native\\.jar")) {
                    nativeJar = entry;
                }
            }
            if (classpath.length() > 0) {
                classpath.append(':');
            }
            classpath.append(copy);
        }
        Path jffi = nativeJar == null ? null : extractJffi(nativeJar, root.resolve("jffi"));
        makeWorldReadable(root);
        Sandbox sandbox = new Sandbox(root, classpath.toString(), jffi, viaSetpriv, JacocoAgent.find(root));
        sandbox.probe();
        return sandbox;
    }

    /** A first, trivial namespace: fails clearly when unshare itself does not work here. */
    private void probe() throws IOException, BootFailure, InterruptedException {
        Path out = root.resolve("out/probe.txt");
        List<String> argv = new ArrayList<>();
        if (viaSetpriv) {
            argv.addAll(List.of("/usr/bin/setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--reset-env"));
        }
        argv.addAll(List.of("/usr/bin/unshare", "--user", "--map-root-user", "--pid", "--mount", "--net", "--fork",
                "/bin/sh", "-c", "echo pid=$$; cat /proc/self/uid_map"));
        ChildProcess child = runner.spawn(new Command("sandbox probe", argv, Map.of("PATH", "/usr/bin:/bin")), ChildOutput.toFile(out));
        Optional<ExitStatus> status = child.awaitExit(Duration.ofSeconds(30));
        String text = Files.readString(out);
        if (status.isEmpty() || !status.get().success() || !text.startsWith("pid=1\n")) {
            String reason = "unshare does not work here (" + status.map(Object::toString).orElse("timeout") + "): " + text.trim();
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(reason);
            }
            Assumptions.abort(reason);
        }
        if (SandboxSafety.enteredFromHostRoot(text.substring(text.indexOf('\n') + 1))) {
            Assertions.fail("REFUSED: the sandbox maps host root (" + text.trim() + "); it must be entered from an unprivileged uid");
        }
    }

    /**
     * Below target/ when every ancestor is traversable by others and target/ is shallow enough for
     * the sockets the scenarios bind (kept until the next run, for reading the scenarios' output),
     * else in /var/tmp (deleted when this JVM ends). Never below /tmp: scenarios may mount over
     * /tmp, and the scenario JVM loads classes from here.
     */
    /** The longest path a Unix socket may have: sun_path is 108 bytes with its terminating NUL. */
    private static final int SUN_PATH_MAX = 107;

    /**
     * Whether a scenario's {@code dev/log} in a scratch directory below {@code base} fits in
     * sun_path; a checkout deep in the file system (a CI clone in a temporary directory) would
     * otherwise fail every syslog bind with EINVAL.
     */
    private static boolean socketsFitBelow(Path base) {
        String longest = base.resolve("nvrc-sandbox-" + "9".repeat(20))
                .resolve("scratch-999-" + "9".repeat(20)).resolve("dev/log").toString();
        return longest.length() <= SUN_PATH_MAX;
    }

    private static Path sandboxRoot() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        boolean inTarget = traversable(target) && socketsFitBelow(target);
        Path base = inTarget ? target : Path.of("/var/tmp");
        if (inTarget) {
            try (Stream<Path> old = Files.list(target)) {
                for (Path p : (Iterable<Path>) old::iterator) {
                    if (p.getFileName().toString().startsWith("nvrc-sandbox-")) {
                        deleteTree(p);
                    }
                }
            }
        }
        Path root = Files.createTempDirectory(base, "nvrc-sandbox-");
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (!inTarget) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    deleteTree(root);
                } catch (IOException e) {
                    // best effort
                }
            }));
        }
        return root;
    }

    private static boolean traversable(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (Path p = dir; p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> testClasspath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(":")) {
            Path p = Path.of(e);
            if (!e.isEmpty() && Files.exists(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static Path extractJffi(Path nativeJar, Path dir) throws IOException {
        Optional<Arch> arch = Arch.of(System.getProperty("os.arch"));
        if (arch.isEmpty()) {
            return null;
        }
        try (JarFile jar = new JarFile(nativeJar.toFile())) {
            ZipEntry entry = jar.getEntry(arch.get().jffiDir() + "/libjffi-1.2.so");
            if (entry == null) {
                return null;
            }
            Files.createDirectories(dir);
            try (InputStream in = jar.getInputStream(entry)) {
                Files.copy(in, dir.resolve("libjffi-1.2.so"));
            }
        }
        return dir;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }

    private static void makeWorldReadable(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (p.startsWith(root.resolve("tmp")) || p.startsWith(root.resolve("out"))) {
                    continue;
                }
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void mkdir(Path dir, String perms) throws IOException {
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(perms));
    }

    /** Deletes a previous sandbox directory (scratch directories are empty on the host). */
    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The JaCoCo agent of this test JVM, if any: the scenario JVM gets a copy writing to its own
     * file, which is appended to this JVM's execution data so that code run in the sandbox counts.
     */
    record JacocoAgent(Path agentCopy, Path destfile) {
        static Optional<JacocoAgent> find(Path root) throws IOException {
            for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
                if (arg.startsWith("-javaagent:") && arg.contains("jacoco")) {
                    String spec = arg.substring("-javaagent:".length());
                    int eq = spec.indexOf('=');
                    Path jar = Path.of(eq < 0 ? spec : spec.substring(0, eq));
                    String options = eq < 0 ? "" : spec.substring(eq + 1);
                    for (String o : options.split(",")) {
                        if (o.startsWith("destfile=")) {
                            Path copy = root.resolve("jacocoagent.jar");
                            Files.copy(jar, copy);
                            return Optional.of(new JacocoAgent(copy, Path.of(o.substring("destfile=".length()))));
                        }
                    }
                }
            }
            return Optional.empty();
        }

        String option(Path exec) {
            return "-javaagent:" + agentCopy + "=destfile=" + exec + ",append=false,jmx=false";
        }

        void merge(Path exec) {
            try {
                if (Files.size(exec) > 0) {
                    Files.write(destfile, Files.readAllBytes(exec), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                // No coverage from this run (e.g. it ended in execve or a power-off): nothing to merge.
            }
        }
    }
}
