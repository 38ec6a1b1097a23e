package dev.nvrc.launcher;

import dev.nvrc.launcher.image.Sha256;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code version}: {@code nvrc version=<v> sha256=<hex of the running jar>}, as upstream prints it. */
final class VersionCommand {
    private VersionCommand() {}

    static int run(PrintStream out, PrintStream err) {
        try {
            out.println("nvrc version=" + version() + " sha256=" + sha256(runningJar()));
            return 0;
        } catch (IOException | URISyntaxException e) {
            err.println("nvrc: cannot hash the running jar: " + e.getMessage());
            return Cli.EXIT_INVALID;
        }
    }

    /** The version from the jar manifest, or {@code dev} when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The jar (or classes directory) this class was loaded from. */
    static Path runningJar() throws URISyntaxException {
        return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    /** sha256 of a file, lower-case hex; of a directory (running from classes): the word {@code none}. */
    static String sha256(Path file) throws IOException {
        return Files.isRegularFile(file) ? Sha256.of(file) : "none";
    }
}
