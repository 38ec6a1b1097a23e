package dev.nvrc.kernel.procfs;

import dev.nvrc.core.io.BoundedFile;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes files of /proc and /sys the way the kernel expects.
 *
 * <p>These files report size 0 and many handlers only answer a read at offset 0: the JDK's
 * size-guided {@code Files.readString} then returns the first byte only. Reads here go on
 * until EOF, up to a bound; writes hand the whole value to a single write(2), because a sysctl
 * handler parses each write on its own.
 */
public final class KernelFile {
    /** The most a read takes (a mount table of a busy machine is tens of kB). */
    public static final int MAX_BYTES = BoundedFile.CONFIG_FILE;

    private KernelFile() {}

    /**
     * The whole content of {@code file} as UTF-8 text, read to end of file through
     * {@link BoundedFile} (a regular file of at most {@link #MAX_BYTES}).
     */
    public static String read(Path file) throws IOException {
        return new String(BoundedFile.read(file, MAX_BYTES), StandardCharsets.UTF_8);
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
