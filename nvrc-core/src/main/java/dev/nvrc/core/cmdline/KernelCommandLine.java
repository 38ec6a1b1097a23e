package dev.nvrc.core.cmdline;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a kernel command line into parameters the way the kernel's {@code next_arg()} does.
 *
 * <ul>
 *   <li>ASCII whitespace separates parameters, except inside double quotes.
 *   <li>The key ends at the first {@code =} (even one inside quotes); a token without {@code =} is
 *       a flag.
 *   <li>A value that starts with a quote loses it and the closing quote at its end
 *       ({@code key="a b"} gives {@code a b}); a token that starts with a quote
 *       ({@code "key=a b"}) loses both quotes.
 *   <li>{@code --} ends the kernel's parameters: what follows is the init's own argv, not
 *       configuration, so it is not returned.
 * </ul>
 *
 * <p>Runs in linear time; there is no limit on the line length.
 */
public final class KernelCommandLine {
    private KernelCommandLine() {}

    /** The parameters of {@code line} in order. */
    public static List<Token> tokenize(String line) {
        List<Token> tokens = new ArrayList<>();
        int n = line.length();
        int i = 0;
        while (true) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                return tokens;
            }
            int start = i;
            boolean inQuote = false;
            int equals = -1;
            while (i < n && (inQuote || !isSpace(line.charAt(i)))) {
                char c = line.charAt(i);
                if (equals < 0 && c == '=') {
                    equals = i;
                }
                if (c == '"') {
                    inQuote = !inQuote;
                }
                i++;
            }
            String raw = line.substring(start, i);
            if (raw.equals("--")) {
                return tokens;
            }
            tokens.add(split(raw, equals < 0 ? -1 : equals - start));
        }
    }

    private static Token split(String raw, int equals) {
        boolean quoted = raw.startsWith("\"");
        int from = quoted ? 1 : 0;
        int to = raw.length();
        if (quoted && to > from && raw.charAt(to - 1) == '"') {
            to--;
        }
        if (equals < 0) {
            return new Token(raw.substring(from, Math.max(from, to)), null, raw);
        }
        String key = raw.substring(from, equals);
        int valueFrom = equals + 1;
        int valueTo = Math.max(valueFrom, to);
        if (valueFrom < valueTo && raw.charAt(valueFrom) == '"') {
            valueFrom++;
            if (!quoted && valueTo > valueFrom && raw.charAt(valueTo - 1) == '"') {
                valueTo--;
            }
        }
        return new Token(key, raw.substring(valueFrom, Math.max(valueFrom, valueTo)), raw);
    }

    /** The kernel's isspace() for ASCII: space, \t, \n, \v, \f, \r. */
    static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }
}
