package dev.nvrc.kernel.log;

import dev.nvrc.core.cmdline.LogLevel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a log message into /dev/kmsg records: {@code <PRI>nvrc: text\n}, one record per line of
 * the message, long lines split on UTF-8 character boundaries so that no record exceeds
 * {@link #MAX_RECORD_BYTES}.
 *
 * <p>The kernel rejects or truncates a write longer than its record limit (992 bytes of text on
 * older kernels, 1024 on newer ones); 976 bytes including prefix and newline is safe on both.
 */
public final class KmsgRecords {
    /** Upper bound of one record in bytes, prefix and newline included. */
    public static final int MAX_RECORD_BYTES = 976;
    /** The tag every record carries after the priority. */
    public static final String TAG = "nvrc: ";
    /** syslog severity of the unconditional failure line (LOG_ERR). */
    public static final int PRIORITY_ERROR = 3;

    private KmsgRecords() {}

    /** The syslog severity of {@code level}: err 3, warning 4, info 6, debug 7. */
    public static int priority(LogLevel level) {
        return switch (level) {
            case ERROR, OFF -> PRIORITY_ERROR;
            case WARN -> 4;
            case INFO -> 6;
            case DEBUG, TRACE -> 7;
        };
    }

    /** The records of {@code message} at syslog severity {@code priority}. */
    public static List<byte[]> records(int priority, String message) {
        byte[] prefix = ("<" + priority + ">" + TAG).getBytes(StandardCharsets.US_ASCII);
        int budget = MAX_RECORD_BYTES - prefix.length - 1;
        List<byte[]> out = new ArrayList<>();
        for (String line : lines(message)) {
            byte[] text = line.getBytes(StandardCharsets.UTF_8);
            int start = 0;
            do {
                int end = cut(text, start, budget);
                out.add(record(prefix, text, start, end));
                start = end;
            } while (start < text.length);
        }
        return out;
    }

    /** The lines of {@code message}; a trailing line break does not make an empty last line. */
    static List<String> lines(String message) {
        String[] parts = message.split("\r?\n", -1);
        int n = parts.length;
        if (n > 1 && parts[n - 1].isEmpty()) {
            n--;
        }
        return List.of(parts).subList(0, n);
    }

    /** The end of the chunk starting at {@code start}: at most {@code budget} bytes, never inside a character. */
    static int cut(byte[] text, int start, int budget) {
        int end = Math.min(text.length, start + budget);
        if (end < text.length) {
            // Step back over continuation bytes (10xxxxxx) to the first byte of the character.
            while (end > start && (text[end] & 0xC0) == 0x80) {
                end--;
            }
        }
        return end;
    }

    private static byte[] record(byte[] prefix, byte[] text, int start, int end) {
        byte[] r = new byte[prefix.length + (end - start) + 1];
        System.arraycopy(prefix, 0, r, 0, prefix.length);
        System.arraycopy(text, start, r, prefix.length, end - start);
        r[r.length - 1] = '\n';
        return r;
    }
}
