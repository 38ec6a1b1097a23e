package dev.nvrc.imagetools;

import dev.nvrc.core.api.NvrcException;
import dev.nvrc.core.api.Settings;
import dev.nvrc.core.report.BootReport;
import dev.nvrc.gpu.api.CdiSpecOptions;
import dev.nvrc.gpu.api.NvidiaCdiSpec;
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
 * build host. So it runs only what computes without side effects: the command-line parser
 * ({@code check-cmdline}, {@code version}, {@code --help}), and with a scratch directory
 * {@code plan} on a fixture written there, the CDI spec of that fixture and the boot report's
 * JSON, both as text; it loads the native binding and calls getpid(2) through it, and loads,
 * without initialising, every class of the {@code dev.nvrc} packages it finds on the class path;
 * no static initialiser of the boot code runs. It never calls {@code dev.nvrc.launcher.Main}, which as PID 1 would
 * boot.
 *
 * <p>What the archive holds is what the boot uses: the command-line paths that only the tool has
 * (data binding for {@code plan --json} and {@code analyze}: about 500 Jackson classes, megabytes
 * of archive that every boot would map) run only with {@code --cli}, which the build's check run
 * passes after the dump, so that they are still tried in the jlink'ed runtime.
 *
 * <p>It lives in nvrc-imagetools, which is not in the boot image, and runs with that jar appended to
 * the image's class path. The tools are built before the launcher (the launcher's image build runs
 * them), so the launcher's two entry points it drives, {@code dev.nvrc.launcher.Cli.run} and
 * {@code dev.nvrc.plan.BootReportFile.toJson}, are looked up by name ({@link LauncherEntryPoints});
 * CdsTrainingTest in nvrc-launcher runs it against the real ones.
 *
 * <p>Exit status 0 if every path behaved as expected (it doubles as a smoke test of the jlink'ed
 * runtime: Jackson without java.sql, the jars in their fixed order), else 1.
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

    /** Exit status of the launcher's command-line tool for bad input or usage ({@code EXIT_INVALID}). */
    static final int EXIT_INVALID = 2;

    private CdsTraining() {}

    /**
     * Runs the training. {@code --quiet}: print nothing; {@code --scratch DIR}: a writable
     * directory for the machine fixture; {@code --cli}: also the tool-only paths ({@code plan
     * --json}, {@code analyze}; needs {@code --scratch}). Exits 0 on success, 1 otherwise, 2 on
     * bad arguments.
     */
    public static void main(String[] args) {
        boolean quiet = false;
        boolean cli = false;
        Path scratch = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quiet")) {
                quiet = true;
            } else if (args[i].equals("--cli")) {
                cli = true;
            } else if (args[i].equals("--scratch") && i + 1 < args.length) {
                scratch = Path.of(args[++i]);
            } else {
                System.err.println("usage: CdsTraining [--quiet] [--cli] [--scratch DIR]");
                System.exit(2);
            }
        }
        PrintStream report = quiet ? new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8) : System.out;
        System.exit(run(System.getProperty("java.class.path", ""), scratch, cli, report));
    }

    /** The boot-path training; returns the exit status. */
    static int run(String classPath, Path scratch, PrintStream report) {
        return run(classPath, scratch, false, report);
    }

    /** The training proper, with the tool-only paths when {@code cli}; returns the exit status. */
    static int run(String classPath, Path scratch, boolean cli, PrintStream report) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        parse(problems, RICH_LINE);
        parse(problems, "");
        expect(problems, "check-cmdline BAD", EXIT_INVALID, LauncherEntryPoints.cli(new String[] {"check-cmdline", BAD_LINE}, sink, sink));
        if (cli) {
            // A valid line is printed as JSON with data binding: the tool's, not the boot's.
            expect(problems, "check-cmdline RICH", 0, LauncherEntryPoints.cli(new String[] {"check-cmdline", RICH_LINE}, sink, sink));
            expect(problems, "check-cmdline (empty)", 0, LauncherEntryPoints.cli(new String[] {"check-cmdline", ""}, sink, sink));
        }
        expect(problems, "--help", 0, LauncherEntryPoints.cli(new String[] {"--help"}, sink, sink));
        expect(problems, "version", 0, LauncherEntryPoints.cli(new String[] {"version"}, sink, sink));
        loadNativeBindings(problems);
        reportJson(problems);
        if (scratch != null) {
            runOnFixture(scratch, cli, sink, problems);
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
     * Loads the native binding the boot uses (jffi and the libc binding on it)
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

    /** The boot's own parse of a command line: the parser, every parameter kind of {@code line}. */
    static void parse(List<String> problems, String line) {
        try {
            Settings.parse(line);
        } catch (NvrcException e) {
            problems.add("the command line '" + line + "' does not parse: " + e.getMessage());
        }
    }

    /** The boot report's JSON, as the boot writes it before the handoff (text only, no file). */
    static void reportJson(List<String> problems) {
        BootReport report = new BootReport(() -> 1);
        report.fact("version", "training");
        report.fact("mode_detected", true);
        report.step("mount /proc", 1, 1, true);
        report.daemon("nvidia-persistenced", 2);
        report.handedOff();
        if (!LauncherEntryPoints.reportJson(report).contains("\"result\" : \"handoff\"")) {
            problems.add("the boot report's JSON lacks its result");
        }
    }

    /**
     * {@code plan} for a one-GPU machine and the CDI spec of that machine, on files in
     * {@code scratch}: the plan code of every step the GPU boot takes runs, reading a fixture; with
     * {@code cli} also {@code plan --json} and {@code analyze} of a boot report.
     */
    static void runOnFixture(Path scratch, boolean cli, PrintStream sink, List<String> problems) {
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
        expect(problems, "plan (gpu)", 0, LauncherEntryPoints.cli(new String[] {"plan", "--cmdline", GPU_LINE, "--root", root}, sink, sink));
        cdiSpec(machine, problems);
        if (cli) {
            expect(problems, "plan --json (auto)", 0,
                    LauncherEntryPoints.cli(new String[] {"plan", "--cmdline", "nvrc.log=info", "--root", root, "--json"}, sink, sink));
            expect(problems, "analyze", 0, LauncherEntryPoints.cli(new String[] {"analyze", report.toString()}, sink, sink));
        }
    }

    /**
     * The CDI spec of the fixture, as text: the generator reads the tree; a tree without the
     * driver's files is refused, which runs the same code up to that point.
     */
    static void cdiSpec(Path machine, List<String> problems) {
        try {
            if (NvidiaCdiSpec.generate(machine, CdiSpecOptions.detect(machine)).toJson().isEmpty()) {
                problems.add("the CDI spec of the fixture is empty");
            }
        } catch (NvrcException e) {
            // Expected on a fixture without driver files; the refusal's path is trained too.
        }
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

    /** The tools' own classes: appended to the training's class path, never in the boot image. */
    private static final String TOOLS = "dev/nvrc/imagetools/";

    /** {@code dev/nvrc/x/Y.class} to {@code dev.nvrc.x.Y}; null for the tools' own classes and anything else. */
    static String className(String resource) {
        if (!resource.startsWith("dev/nvrc/") || resource.startsWith(TOOLS) || !resource.endsWith(".class") || resource.endsWith("module-info.class")
                || resource.endsWith("package-info.class")) {
            return null;
        }
        return resource.substring(0, resource.length() - ".class".length()).replace('/', '.');
    }
}
