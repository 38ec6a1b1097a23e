package dev.nvrc.core.io;

import java.util.Locale;

/**
 * Text from outside (sysfs, the command line, a driver's file) made safe to quote in a one-line
 * message: the one home of control-character escaping. Each style is the wording some message
 * already quotes, kept byte for byte.
 */
public final class Printable {
    private Printable() {}

    /**
     * {@code text} in single quotes: newline, carriage return and tab as {@code \n \r \t}, other
     * control characters and DEL as {@code \xNN}, cut after {@code limit} characters with
     * {@code ... (N characters)}.
     */
    public static String quote(String text, int limit) {
        StringBuilder sb = new StringBuilder("'");
        int shown = Math.min(text.length(), limit);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(hex(c));
            } else {
                sb.append(c);
            }
        }
        sb.append('\'');
        if (text.length() > shown) {
            sb.append("... (").append(text.length()).append(" characters)");
        }
        return sb.toString();
    }

    /**
     * {@code text} with every character outside printable ASCII as {@code \xNN}, cut with
     * {@code ...} once {@code limit} characters are written.
     */
    public static String escaped(String text, int limit) {
        StringBuilder sb = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (sb.length() >= limit) {
                return sb.append("...").toString();
            }
            sb.append(isVisible(c) || c == ' ' ? String.valueOf(c) : hex(c));
        }
        return sb.toString();
    }

    /**
     * {@code text} cut after {@code limit} characters (then {@code ...}), every character outside
     * printable ASCII as {@code ?}.
     */
    public static String masked(String text, int limit) {
        String cut = text.length() > limit ? text.substring(0, limit) + "..." : text;
        StringBuilder sb = new StringBuilder(cut.length());
        // By code point, as the regular expression this replaced did: a surrogate pair is one '?'.
        cut.codePoints().forEach(c -> sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return sb.toString();
    }

    /** One character: itself when printable ASCII, otherwise {@code \\uNNNN}. */
    public static String escaped(char c) {
        return c < 0x20 || c > 0x7e ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c);
    }

    /** True when every character of {@code s} is visible ASCII (no space, no control character). */
    public static boolean isVisible(String s) {
        return s.chars().allMatch(c -> isVisible((char) c));
    }

    private static boolean isVisible(char c) {
        return c > 0x20 && c < 0x7f;
    }

    private static String hex(char c) {
        return String.format(Locale.ROOT, "\\x%02x", (int) c);
    }
}
