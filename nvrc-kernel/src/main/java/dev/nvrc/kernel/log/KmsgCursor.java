package dev.nvrc.kernel.log;

import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A read position in the kernel log, taken before something runs, to quote afterwards what the
 * kernel said meanwhile: a driver explains a failed module load only there
 * ({@code NVRM: No NVIDIA GPU found.}), while modprobe prints just {@code No such device}.
 *
 * <p>/dev/kmsg is opened non-blocking and moved to its end; {@link #kernelLines} reads the records
 * that came after, one per read(2), until EAGAIN. Only records of the kernel facility count (what
 * user space writes to /dev/kmsg, nvrc's own lines among them, has facility user). A log that
 * cannot be opened (no /dev/kmsg, no permission) gives no lines; reading never changes anything.
 */
public final class KmsgCursor implements AutoCloseable {
    private static final int O_RDONLY = 0;
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;
    private static final int SEEK_END = 2;
    private static final int EINTR = 4;
    private static final int EPIPE = 32;
    /** The kernel's records are at most about 1 kB of text plus their dictionary. */
    private static final int RECORD_BUFFER = 8192;
    /** Records read at most, so a kernel that logs without pause cannot keep the reader here. */
    private static final int MAX_RECORDS = 10_000;

    private final int fd;

    private KmsgCursor(int fd) {
        this.fd = fd;
    }

    /** A cursor at the end of {@code kmsg} now; one that reads nothing when it cannot be opened. */
    public static KmsgCursor atEnd(Path kmsg) {
        if (kmsg == null) {
            return new KmsgCursor(-1);
        }
        LibC libc = Native.libc();
        int fd = libc.open(kmsg.toString(), O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
        if (fd >= 0 && libc.lseek(fd, 0, SEEK_END) < 0) {
            libc.close(fd);
            fd = -1;
        }
        return new KmsgCursor(fd);
    }

    /** The texts of the kernel's records logged since the cursor was taken, oldest first. */
    public List<String> kernelLines() {
        List<String> lines = new ArrayList<>();
        if (fd < 0) {
            return lines;
        }
        LibC libc = Native.libc();
        byte[] buffer = new byte[RECORD_BUFFER];
        for (int i = 0; i < MAX_RECORDS; i++) {
            long n = libc.read(fd, buffer, buffer.length);
            if (n < 0) {
                int errno = Native.errno();
                if (errno == EPIPE || errno == EINTR) {
                    continue; // EPIPE: records were overwritten; the position moved on to the oldest kept
                }
                break; // EAGAIN: nothing more
            }
            if (n == 0) {
                break;
            }
            String text = kernelText(new String(buffer, 0, (int) n, StandardCharsets.UTF_8));
            if (text != null) {
                lines.add(text);
            }
        }
        return lines;
    }

    /**
     * The text of one /dev/kmsg record ({@code PRI,SEQ,USEC,FLAGS[,...];TEXT\n[ KEY=VALUE\n]...}) when
     * its facility is the kernel's (PRI below 8), else null.
     */
    static String kernelText(String record) {
        int semicolon = record.indexOf(';');
        int comma = record.indexOf(',');
        if (semicolon < 0 || comma <= 0 || comma > semicolon) {
            return null;
        }
        int priority;
        try {
            priority = Integer.parseInt(record.substring(0, comma));
        } catch (NumberFormatException e) {
            return null;
        }
        if (priority >> 3 != 0) {
            return null;
        }
        int end = record.indexOf('\n', semicolon);
        return record.substring(semicolon + 1, end < 0 ? record.length() : end);
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Native.libc().close(fd);
        }
    }
}
