package dev.nvrc.imagetools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of a file as the lower-case hex that {@code sha256sum} and CycloneDX use. The build-time
 * tools run on the build host, where the JCA's start-up cost does not matter: they use
 * {@link MessageDigest}; the boot's own hash of its jar is {@code dev.nvrc.launcher.boot.Sha256}.
 */
final class FileHash {
    private FileHash() {}

    /** The file's SHA-256, lower-case hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
