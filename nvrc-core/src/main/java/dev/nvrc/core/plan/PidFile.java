package dev.nvrc.core.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.io.Printable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A daemon's pid file: one decimal pid, optionally followed by a newline, and nothing else. */
final class PidFile {
    /** A pid file is a few bytes; anything larger is not one. */
    private static final int MAX_BYTES = 64;

    private PidFile() {}

    /**
     * The pid in {@code file} ({@code shown} is its guest path, for messages), written by the
     * daemon {@code daemon}. Missing, unreadable or malformed content is a failure naming the file.
     */
    static long read(Path file, String shown, String daemon) throws BootFailure {
        String text;
        try {
            text = new String(BoundedFile.read(file, MAX_BYTES), StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new BootFailure(daemon + " said it is ready, but its pid file " + shown + " does not exist:"
                    + " cannot follow the daemon it forked", e);
        } catch (IOException e) {
            throw new BootFailure("cannot read " + daemon + "'s pid file " + shown + ": " + IoReason.of(e), e);
        }
        String digits = text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (!digits.matches("[1-9][0-9]{0,9}") || Long.parseLong(digits) > Integer.MAX_VALUE) {
            throw new BootFailure(daemon + "'s pid file " + shown + ": expected a process id such as 812, found "
                    + Printable.quote(text, MAX_BYTES));
        }
        return Long.parseLong(digits);
    }
}
