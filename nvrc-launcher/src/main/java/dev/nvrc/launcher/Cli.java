package dev.nvrc.launcher;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The command-line tool. Exit status: 0 success, 2 bad input or usage (with {@code nvrc: } lines
 * on stderr). Nothing here touches the machine. {@code verify-image} is a build-time tool, not in
 * the boot image: {@code java -jar nvrc-imagetools/target/nvrc-imagetools.jar verify-image DIR}
 * (docs/security.md); here it only says so.
 */
public final class Cli {
    /** Exit status for bad input or usage. */
    public static final int EXIT_INVALID = 2;

    static final String USAGE = String.join("\n",
            "usage: java -jar nvrc.jar COMMAND [ARGS]",
            "",
            "As PID 1 of a guest VM, nvrc boots it. Otherwise it is this tool, which never changes the machine:",
            "  --help                          this text",
            "  version                         version and sha256 of the running nvrc.jar",
            "  check-cmdline 'LINE'            check a kernel command line; print the effective",
            "  check-cmdline --file PATH         configuration as JSON (exit 0) or every problem (exit 2)",
            "  cdi --root DIR [--output FILE]  generate the CDI spec for the machine image at DIR (FILE:",
            "                                    a regular file or a new path; - for stdout)",
            "      [--arch aarch64]              (driver libraries of another architecture's image)",
            "  plan --cmdline 'LINE' --root DIR [--json]",
            "                                  the steps the init would take on the machine at DIR",
            "  analyze BOOT.JSON [--svg FILE]  the boot report (/run/nvrc/boot.json) as a timeline",
            "",
            "verify-image (check an unpacked boot image against its SBOM) is not in the boot image:",
            "  java -jar nvrc-imagetools/target/nvrc-imagetools.jar verify-image DIR [SBOM]",
            "",
            "Kernel parameters: docs/kernel-parameters.md");

    private Cli() {}

    /** Runs one command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println("nvrc: no command given");
            err.println(USAGE);
            return EXIT_INVALID;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        switch (args[0]) {
            case "--help", "-h", "help" -> {
                out.println(USAGE);
                return 0;
            }
            case "version", "--version" -> {
                return VersionCommand.run(out, err);
            }
            case "check-cmdline" -> {
                return CheckCmdlineCommand.run(rest, out, err);
            }
            case "cdi" -> {
                return CdiCommand.run(rest, out, err);
            }
            case "plan" -> {
                return PlanCommand.run(rest, out, err);
            }
            case "analyze" -> {
                return AnalyzeCommand.run(rest, out, err);
            }
            case "verify-image" -> {
                err.println("nvrc: verify-image is a build-time tool, not in the boot image: "
                        + "java -jar nvrc-imagetools/target/nvrc-imagetools.jar verify-image DIR [SBOM] (docs/security.md)");
                return EXIT_INVALID;
            }
            default -> {
                err.println("nvrc: unknown command '" + args[0] + "'");
                err.println(USAGE);
                return EXIT_INVALID;
            }
        }
    }
}
