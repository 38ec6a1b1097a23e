package dev.nvrc.imagetools;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * The entry of {@code nvrc-imagetools.jar}: {@code java -jar nvrc-imagetools/target/nvrc-imagetools.jar
 * verify-image DIR [SBOM]}. The build runs {@link ImageSbom} and {@link CdsTraining} by class name
 * (build-image.sh). Exit status: that of the command, 2 on usage.
 */
public final class ImageTools {
    static final String USAGE = String.join("\n",
            "usage: java -jar nvrc-imagetools.jar COMMAND [ARGS]",
            "",
            "The boot image's build-time tools (not in the boot image):",
            "  verify-image DIR [SBOM]   check an unpacked boot image against its SBOM (default:",
            "                              DIR/usr/lib/nvrc/nvrc-image-sbom.json); exit 1 if it differs",
            "",
            "docs/security.md");

    private ImageTools() {}

    /** Runs one command and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command; returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.println(USAGE);
            return 2;
        }
        switch (args[0]) {
            case "--help", "-h", "help" -> {
                out.println(USAGE);
                return 0;
            }
            case "verify-image" -> {
                return VerifyImage.run(Arrays.copyOfRange(args, 1, args.length), out, err);
            }
            default -> {
                err.println("nvrc-imagetools: unknown command '" + args[0] + "'");
                err.println(USAGE);
                return 2;
            }
        }
    }
}
