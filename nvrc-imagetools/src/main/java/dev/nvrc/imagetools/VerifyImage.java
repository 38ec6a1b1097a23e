package dev.nvrc.imagetools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Checks an unpacked boot image against the image SBOM it ships: every file present, listed and
 * with the listed SHA-256. With any Java 17: {@code java -jar
 * nvrc-imagetools/target/nvrc-imagetools.jar verify-image DIR [SBOM]} ({@link ImageTools}), or this
 * class's {@code main}. A build-time tool: not in the boot image (docs/security.md).
 */
public final class VerifyImage {
    private VerifyImage() {}

    /**
     * Command-line entry; exits 0 if the image matches, 1 if not, 2 on usage.
     *
     * @param args IMAGE_ROOT [SBOM]
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Verifies an unpacked image.
     *
     * @param args the unpacked image and, optionally, the SBOM to check it against (default: the
     *     one inside it, {@code usr/lib/nvrc/nvrc-image-sbom.json})
     * @param out where the verdict goes
     * @param err where problems go, one line each
     * @return 0 if it matches, 1 if not, 2 on usage
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 1 || args.length > 2) {
            err.println("usage: verify-image IMAGE_ROOT [IMAGE_SBOM]");
            return 2;
        }
        Path root = Path.of(args[0]);
        Path sbom = args.length == 2 ? Path.of(args[1]) : root.resolve(ImageSbom.IMAGE_SBOM_PATH);
        try {
            Map<String, String> listed = ImageInventory.listed(new ObjectMapper().readTree(sbom.toFile()));
            List<String> problems = ImageInventory.differences(listed, ImageInventory.present(root));
            problems.forEach(p -> err.println("nvrc-verify-image: " + p));
            if (!problems.isEmpty()) {
                err.println("nvrc-verify-image: " + root + " does NOT match " + sbom + " (" + problems.size() + " differences)");
                return 1;
            }
            out.println("nvrc-verify-image: " + root + " matches " + sbom + ": " + listed.size() + " files");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("nvrc-verify-image: " + e.getMessage());
            return 1;
        }
    }
}
