package dev.nvrc.core.io;

import dev.nvrc.core.BootFailure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a whole file so that readers see the old content or the new, never a part, and the new
 * one survives a crash: the content goes to a uniquely named temporary file in the same directory
 * (a name starting with {@code .} and ending in {@code .tmp}, which CDI registries and Fabric
 * Manager ignore), is fsynced, gets its final mode, is renamed over the target, and the directory
 * is fsynced so the rename itself is durable. Used for the CDI spec, the Fabric Manager config and
 * the boot report.
 *
 * <p>The target must be a regular file or not exist: the rename would replace a symbolic link, a
 * device node or a FIFO by a regular file (it once replaced a host's {@code /dev/full}), so
 * anything else there is refused and left alone.
 *
 * <p>The temporary file is created with {@code O_CREAT|O_EXCL} (which never follows a link and
 * never opens a file someone else made), mode 0600, under a name from {@link ThreadLocalRandom},
 * not through {@link Files#createTempFile}: that one seeds a {@code SecureRandom} on first use,
 * which the boot paid for in its first atomic write (9 to 17 ms of the CDI step under the VM
 * benchmark's emulated CPU). The name need not be secret, only unused; a name already taken is
 * drawn again.
 */
public final class AtomicFile {
    private static final Set<StandardOpenOption> CREATE_NEW_WRITE =
            EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private AtomicFile() {}

    /**
     * Replaces {@code target} with {@code content}, mode {@code permissions}, creating its directory.
     *
     * @param shown the guest path of {@code target}, for the failure message (host paths of a
     *     fixture root mean nothing to the reader of a FAILED line)
     * @throws BootFailure naming {@code shown} and why, when any part fails; the temporary file is
     *     removed then
     */
    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions, String shown)
            throws BootFailure {
        Path dir = target.toAbsolutePath().getParent();
        Path name = target.getFileName();
        if (dir == null || name == null) {
            throw new BootFailure("cannot write " + shown + ": not the path of a file");
        }
        refuseNonRegular(target, shown);
        Path temp = null;
        try {
            Files.createDirectories(dir);
            FileChannel created = null;
            for (int attempt = 0; created == null; attempt++) {
                temp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong()) + ".tmp");
                try {
                    created = FileChannel.open(temp, CREATE_NEW_WRITE, OWNER_ONLY);
                } catch (FileAlreadyExistsException e) {
                    temp = null;
                    if (attempt == 99) {
                        throw e;
                    }
                }
            }
            try (FileChannel ch = created) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
                ch.force(true);
            }
            // Final mode before the rename: the file never appears under its name with other access.
            Files.setPosixFilePermissions(temp, permissions);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true);
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new BootFailure("cannot write " + shown + ": " + IoReason.of(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The write failed already; a stray hidden .tmp file is harmless and ignored by readers.
                }
            }
        }
    }

    private static void refuseNonRegular(Path target, String shown) throws BootFailure {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // a new file
        } catch (IOException e) {
            throw new BootFailure("cannot write " + shown + ": " + IoReason.of(e), e);
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isSymbolicLink() ? "a symbolic link"
                    : attributes.isDirectory() ? "a directory" : "a device, FIFO or socket";
            throw new BootFailure("refusing to write " + shown + ": it is " + kind + ", not a regular file");
        }
    }
}
