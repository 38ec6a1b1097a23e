package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Replaces a file so that readers see the old content or the new, never a part: write a temporary
 * file in the same directory, fsync it, rename it over the target, fsync the directory.
 *
 * <p>The temporary name ends in {@code .tmp}, which CDI registries ignore (they read only
 * {@code *.json} and {@code *.yaml}), so a runtime scanning the directory meanwhile does not trip
 * over it.
 */
final class AtomicSpecWriter {
    /** rw-r--r--, as nvidia-ctk writes specs: the runtime may run unprivileged parts. */
    static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-r--r--");

    private AtomicSpecWriter() {
    }

    /** Writes {@code text} to {@code target} atomically with mode 0644, creating its directory. */
    static void write(String text, Path target) throws BootFailure {
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, MODE);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            tmp = null;
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new BootFailure("cannot write the CDI spec " + target + ": " + e, e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // The failure above is what matters; a stray .tmp file is ignored by runtimes.
                }
            }
        }
    }
}
