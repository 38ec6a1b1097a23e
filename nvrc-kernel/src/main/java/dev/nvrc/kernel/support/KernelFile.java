package dev.nvrc.kernel.support;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes files of /proc and /sys the way the kernel expects.
 *
 * <p>These files report size 0 and many handlers only answer a read at offset 0: the JDK's
 * size-guided {@code Files.readString} then returns the first byte only. Reads here loop over a
 * large buffer until EOF; writes hand the whole value to a single write(2), because a sysctl
 * handler parses each write on its own.
 */
public final class KernelFile {
    private static final int CHUNK = 8192;

    private KernelFile() {}

    /** The whole content of {@code file} as UTF-8 text. */
    public static String read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(64);
            byte[] buffer = new byte[CHUNK];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** Writes {@code value} to the existing {@code file} in one write(2), without truncating or creating. */
    public static void write(Path file, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (!Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        // FileOutputStream issues one write(2) for the whole array; O_TRUNC is harmless on these files.
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(bytes);
        }
    }
}
