package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
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

    /**
     * Writes {@code text} to {@code target} atomically with mode 0644, creating its directory. The
     * target must be a regular file or not exist: the rename would replace a symbolic link, a
     * device node or a FIFO by a regular file (a {@code /dev/full} of the host once), so anything
     * else there is refused and left alone.
     */
    static void write(String text, Path target) throws BootFailure {
        Path dir = target.toAbsolutePath().getParent();
        refuseNonRegular(target);
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
            String reason = e instanceof IOException io ? IoReason.of(io) : "not supported on this file system";
            throw new BootFailure("cannot write the CDI spec " + target + ": " + reason, e);
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

    private static void refuseNonRegular(Path target) throws BootFailure {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // a new file
        } catch (IOException e) {
            throw new BootFailure("cannot write the CDI spec " + target + ": " + IoReason.of(e), e);
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isSymbolicLink() ? "a symbolic link"
                    : attributes.isDirectory() ? "a directory" : "a device, FIFO or socket";
            throw new BootFailure("refusing to write the CDI spec over " + target + ": it is " + kind
                    + ", not a regular file (give a regular file, a new path or - for stdout)");
        }
    }
}
