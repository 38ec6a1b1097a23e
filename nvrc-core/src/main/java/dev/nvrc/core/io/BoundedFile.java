package dev.nvrc.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a whole small file: a regular file (symbolic links followed) of at most a given size.
 *
 * <p>Anything else is refused before it is opened: opening a FIFO blocks until a writer comes,
 * a device such as {@code /dev/zero} never ends. Every sysfs attribute and procfs file nvrc reads
 * is a regular file. The content is read until end of file however large the file claims to be
 * (sysfs and procfs report size 0 or 4096), and one byte more than the bound is a refusal, so a
 * huge file costs at most the bound in memory.
 *
 * <p>The type is checked on the path, then the path is opened: a file swapped for a FIFO in
 * between can still block, which needs someone writing to the tree being read while nvrc reads it.
 */
public final class BoundedFile {
    /** Bound for a kernel-made file: a sysfs attribute (one page of text, or a VPD of up to 32 KiB), a procfs file. */
    public static final int KERNEL_FILE = 64 * 1024;
    /**
     * Bound for a procfs table of the driver: {@code /proc/driver/nvidia-caps/mig-minors} lists every
     * GPU, GPU instance and compute instance combination, well over 64 KiB.
     */
    public static final int PROC_TABLE = 1024 * 1024;
    /** Bound for a configuration file shipped in an image, or a command line a user gives in a file. */
    public static final int CONFIG_FILE = 1024 * 1024;

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFSOCK = 0140000;

    private BoundedFile() {}

    /**
     * The bytes of {@code file}.
     *
     * @throws NotRegularFileException if it is a directory, FIFO, device or socket
     * @throws FileTooLargeException if it holds more than {@code maxBytes} bytes
     * @throws IOException if it cannot be read ({@link IoReason} says why)
     */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        if (maxBytes < 0 || maxBytes == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("bad bound " + maxBytes);
        }
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attributes.isRegularFile()) {
            throw new NotRegularFileException(file, kind(file, attributes));
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new FileTooLargeException(file, maxBytes);
            }
            return bytes;
        }
    }

    /** What a non-regular file is, for the refusal. */
    static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            switch (mode & S_IFMT) {
                case S_IFIFO:
                    return "a FIFO";
                case S_IFCHR:
                    return "a character device";
                case S_IFBLK:
                    return "a block device";
                case S_IFSOCK:
                    return "a socket";
                default:
                    break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // no unix view here: the generic word below
        }
        return "a special file";
    }

    /** A path that is not a regular file where one is expected. */
    public static final class NotRegularFileException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        NotRegularFileException(Path file, String kind) {
            super(file.toString(), null, kind + ", not a regular file");
        }
    }

    /** A file larger than the bound it is read with. */
    public static final class FileTooLargeException extends FileSystemException {
        private static final long serialVersionUID = 1L;

        FileTooLargeException(Path file, int maxBytes) {
            super(file.toString(), null, "larger than " + maxBytes + " bytes");
        }
    }
}
