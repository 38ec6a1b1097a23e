package dev.nvrc.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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
        if (!Files.isRegularFile(file)) {
            return "none";
        }
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
