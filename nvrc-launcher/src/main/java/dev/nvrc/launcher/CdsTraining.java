package dev.nvrc.launcher;

import dev.nvrc.kernel.libc.Native;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The class-data-sharing training run of the boot image build: loads the classes the boot will
 * need so that {@code -XX:ArchiveClassesAtExit} archives them (docs/boot-image.md).
 *
 * <p>It must never touch the machine: the build runs it in a chroot of the image tree, on the
 * build host. So it runs only command-line paths ({@code check-cmdline}, {@code version},
 * {@code --help}, and with a scratch directory {@code plan} and {@code analyze} on a fixture
 * written there), loads the native bindings and calls getpid(2) through them, and loads,
 * without initialising, every class of the {@code dev.nvrc} packages it finds on the class path;
 * no static initialiser of the boot code runs. It never calls {@link Main}, which as PID 1 would
 * boot.
 *
 * <p>Exit status 0 if the command-line paths behaved as expected (it doubles as a smoke test of
 * the jlink'ed runtime: Jackson without java.sql, the jars in their fixed order), else 1.
 */
public final class CdsTraining {
    /** A command line that goes through most of the parser: every parameter kind. */
    static final String RICH_LINE = "console=ttyS0 panic=-1 quiet nvrc.log=debug nvrc.mode=gpu nvrc.dcgm=on"
            + " nvrc.uvm.persistence.mode=off nvrc.smi.lgc=1980 nvrc.smi.lmc=2619 nvrc.smi.pl=700 nvrc.smi.srs=1"
            + " nvrc.fm.mode=0 nvrc.fm.rail.policy=greedy nvrc.timeout=300 nvrc.timeout.nvidia-persistenced=600"
            + " nvrc.cdi=native";
    /** A GPU boot with every GPU setting (no fabric settings: the fixture has no NVSwitch). */
    static final String GPU_LINE = "console=ttyS0 nvrc.log=debug nvrc.dcgm=on nvrc.smi.lgc=1980 nvrc.smi.lmc=2619"
            + " nvrc.smi.pl=700 nvrc.smi.srs=1 nvrc.timeout.nvidia-persistenced=600";
    /** A command line with problems: the error paths and their suggestions. */
    static final String BAD_LINE = "nvrc.smi.lgc=fast nvrc.dcgn=on nvrc.mode=gpx";

    private CdsTraining() {}

    /**
     * Runs the training. {@code --quiet}: print nothing; {@code --scratch DIR}: a writable
     * directory for the machine fixture that {@code plan} and {@code analyze} read. Exits 0 on
     * success, 1 otherwise, 2 on bad arguments.
     */
    public static void main(String[] args) {
        boolean quiet = false;
        Path scratch = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quiet")) {
                quiet = true;
            } else if (args[i].equals("--scratch") && i + 1 < args.length) {
                scratch = Path.of(args[++i]);
            } else {
                System.err.println("usage: CdsTraining [--quiet] [--scratch DIR]");
                System.exit(2);
            }
        }
        PrintStream report = quiet ? new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) : System.out;
        System.exit(run(System.getProperty("java.class.path", ""), scratch, report));
    }

    /** The training proper; returns the exit status. */
    static int run(String classPath, Path scratch, PrintStream report) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        expect(problems, "check-cmdline RICH", 0, Cli.run(new String[] {"check-cmdline", RICH_LINE}, sink, sink));
        expect(problems, "check-cmdline BAD", Cli.EXIT_INVALID, Cli.run(new String[] {"check-cmdline", BAD_LINE}, sink, sink));
        expect(problems, "check-cmdline (empty)", 0, Cli.run(new String[] {"check-cmdline", ""}, sink, sink));
        expect(problems, "--help", 0, Cli.run(new String[] {"--help"}, sink, sink));
        expect(problems, "version", 0, Cli.run(new String[] {"version"}, sink, sink));
        loadNativeBindings(problems);
        if (scratch != null) {
            runOnFixture(scratch, sink, problems);
        }
        int loaded = 0;
        for (String name : nvrcClasses(classPath, problems)) {
            try {
                Class.forName(name, false, CdsTraining.class.getClassLoader());
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // A class needing an absent optional dependency: the boot never loads it either.
                report.println("cds-train: not loaded: " + name + ": " + e);
            }
        }
        report.println("cds-train: command-line paths run, " + loaded + " nvrc classes loaded");
        problems.forEach(p -> report.println("cds-train: FAILED " + p));
        return problems.isEmpty() ? 0 : 1;
    }

    /**
     * Loads the native binding the boot uses (jnr-ffi's libc: the slowest part of its start-up)
     * and makes one harmless call, getpid(2), to know it works in the image.
     */
    static void loadNativeBindings(List<String> problems) {
        try {
            if (Native.libc().getpid() <= 0) {
                problems.add("libc: getpid() returned no pid");
            }
        } catch (RuntimeException | LinkageError e) {
            problems.add("the native bindings cannot be loaded: " + e);
        }
    }

    /**
     * {@code plan} for a one-GPU machine and {@code analyze} of a boot report, both on files in
     * {@code scratch}: the plan code of every step the GPU boot takes runs, reading a fixture.
     */
    static void runOnFixture(Path scratch, PrintStream sink, List<String> problems) {
        Path machine = scratch.resolve("machine");
        Path report = scratch.resolve("boot.json");
        try {
            Path gpu = machine.resolve("sys/bus/pci/devices/0000:10:00.0");
            Files.createDirectories(gpu);
            Files.writeString(gpu.resolve("vendor"), "0x10de\n");
            Files.writeString(gpu.resolve("device"), "0x2330\n");
            Files.writeString(gpu.resolve("class"), "0x030200\n");
            // plan reports on the agent the boot would hand off to: an executable file stands in for it.
            Path agent = Files.createDirectories(machine.resolve("usr/bin")).resolve("kata-agent");
            Files.writeString(agent, "");
            Files.setPosixFilePermissions(agent, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(report, "{\"result\":\"handoff\",\"mode\":\"gpu\",\"steps\":[{\"step\":\"mount /proc\","
                    + "\"start_ms\":900,\"duration_ms\":3,\"ok\":true}],\"daemons\":[]}\n");
        } catch (IOException e) {
            problems.add("cannot write the fixture in " + scratch + ": " + e.getMessage());
            return;
        }
        String root = machine.toString();
        expect(problems, "plan (gpu)", 0, Cli.run(new String[] {"plan", "--cmdline", GPU_LINE, "--root", root}, sink, sink));
        expect(problems, "plan --json (auto)", 0,
                Cli.run(new String[] {"plan", "--cmdline", "nvrc.log=info", "--root", root, "--json"}, sink, sink));
        expect(problems, "analyze", 0, Cli.run(new String[] {"analyze", report.toString()}, sink, sink));
    }

    private static void expect(List<String> problems, String what, int expected, int actual) {
        if (actual != expected) {
            problems.add(what + ": exit status " + actual + ", expected " + expected);
        }
    }

    /** Every class of the {@code dev.nvrc} packages in the class path's jars and directories. */
    static List<String> nvrcClasses(String classPath, List<String> problems) {
        List<String> names = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry);
            try {
                if (Files.isDirectory(p)) {
                    Path base = p.resolve("dev/nvrc");
                    if (Files.isDirectory(base)) {
                        try (Stream<Path> files = Files.walk(base)) {
                            files.map(f -> p.relativize(f).toString().replace(File.separatorChar, '/'))
                                    .map(CdsTraining::className).filter(n -> n != null).sorted().forEach(names::add);
                        }
                    }
                } else if (Files.isRegularFile(p)) {
                    try (JarFile jar = new JarFile(p.toFile())) {
                        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                            String n = className(e.nextElement().getName());
                            if (n != null) {
                                names.add(n);
                            }
                        }
                    }
                }
            } catch (IOException e) {
                problems.add("cannot read class path entry " + entry + ": " + e.getMessage());
            }
        }
        return names;
    }

    /** {@code dev/nvrc/x/Y.class} to {@code dev.nvrc.x.Y}; null for anything else. */
    static String className(String resource) {
        if (!resource.startsWith("dev/nvrc/") || !resource.endsWith(".class") || resource.endsWith("module-info.class")
                || resource.endsWith("package-info.class")) {
            return null;
        }
        return resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
    }
}
