package dev.nvrc.kernel.syslog;

import java.nio.charset.StandardCharsets;

/**
 * The text of one /dev/log datagram: decoded as UTF-8 leniently (invalid bytes become U+FFFD),
 * trailing whitespace trimmed, then a leading {@code <PRI>} removed. The prefix is everything up to
 * the first {@code >} after a leading {@code <}: {@code <>x} is {@code x}, {@code <6>} is empty,
 * a lone {@code <} stays.
 */
public final class SyslogText {
    private SyslogText() {}

    /** Cleans the first {@code length} bytes of {@code datagram}. */
    public static String clean(byte[] datagram, int length) {
        return stripPriority(trimTrailingWhitespace(new String(datagram, 0, length, StandardCharsets.UTF_8)));
    }

    /** Cleans a whole datagram. */
    public static String clean(byte[] datagram) {
        return clean(datagram, datagram.length);
    }

    /** Removes a leading {@code <...>}; text without a {@code >} after the {@code <} is unchanged. */
    public static String stripPriority(String text) {
        if (text.startsWith("<")) {
            int close = text.indexOf('>');
            if (close > 0) {
                return text.substring(close + 1);
            }
        }
        return text;
    }

    /** Removes trailing characters with the Unicode White_Space property. */
    public static String trimTrailingWhitespace(String text) {
        int end = text.length();
        while (end > 0 && isUnicodeWhitespace(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Unicode White_Space (all in the BMP), which differs from {@link Character#isWhitespace}. */
    static boolean isUnicodeWhitespace(char c) {
        return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680
                || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F
                || c == 0x205F || c == 0x3000;
    }
}
