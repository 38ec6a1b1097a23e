package dev.nvrc.launcher.boot;

import dev.nvrc.plan.BootMachine;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Which nvrc runs: its version and the sha256 of the jar its classes come from. Printed by
 * {@code nvrc version} and logged as the first line of every boot, like upstream's
 * {@code version=... sha256=...} line, so that an operator can tell from a VM's log which init a
 * measured image ran and find that jar in the image SBOM (docs/security.md says why the jar).
 *
 * @param version the version from the jar's manifest, or {@code dev} when run from classes
 * @param sha256 64 lower-case hex digits, or {@code none} when run from a classes directory
 */
public record NvrcIdentity(String version, String sha256) {
    public NvrcIdentity {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(sha256, "sha256");
    }

    /** The running nvrc: hashes the jar it was loaded from (about 90 kB). */
    public static NvrcIdentity running() throws IOException {
        return new NvrcIdentity(runningVersion(), sha256(runningJar()));
    }

    /** {@code nvrc version=<v> sha256=<hex>}. */
    public String line() {
        return BootMachine.Identity.line(version, sha256);
    }

    /** The version from the jar manifest, or {@code dev} when run from classes. */
    public static String runningVersion() {
        String v = NvrcIdentity.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The jar (or classes directory) nvrc's classes were loaded from. */
    static Path runningJar() throws IOException {
        try {
            return Path.of(NvrcIdentity.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            throw new IOException("cannot tell where nvrc's classes come from: " + e.getMessage(), e);
        }
    }

    /** sha256 of a file, lower-case hex; of a directory (running from classes): the word {@code none}. */
    public static String sha256(Path file) throws IOException {
        return Files.isRegularFile(file) ? Sha256.of(file) : "none";
    }
}
