package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Writes a whole file so that readers see either the old file or the complete new one: the
 * content goes to a temporary file in the same directory, gets its final permissions, and is
 * renamed over the target.
 */
final class AtomicWrite {
    private AtomicWrite() {}

    /**
     * Replaces {@code target} with {@code content}, mode {@code permissions}.
     *
     * @param shown the guest path of {@code target}, for the failure message
     */
    static void write(Path target, byte[] content, Set<PosixFilePermission> permissions, String shown)
            throws BootFailure {
        Path temp = null;
        try {
            temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            // Final mode before the rename: the file never appears under its name with wider access.
            Files.setPosixFilePermissions(temp, permissions);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new BootFailure("cannot write " + shown + ": " + Texts.reason(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write already failed; a stray temporary file in /run is harmless.
                }
            }
        }
    }
}
