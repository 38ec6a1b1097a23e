package dev.nvrc.fabric;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Sets keys in a Fabric Manager config file ({@code KEY=VALUE} lines) and leaves everything else
 * exactly as it was.
 *
 * <p>The rules (docs/fabric.md):
 * <ul>
 *   <li>A line assigns {@code KEY} when, after optional spaces or tabs, it starts with {@code KEY},
 *       optional spaces or tabs and {@code =}. Such a line becomes exactly {@code KEY=VALUE}: its
 *       indentation, odd spacing and any trailing comment go, its line ending stays. Keys match
 *       case-sensitively and whole ({@code FABRIC_MODE_RESTART=} does not assign
 *       {@code FABRIC_MODE}); a commented {@code #FABRIC_MODE=1} assigns nothing.</li>
 *   <li>Every line assigning a key is replaced, so a config that repeats a key still gives
 *       Fabric Manager our value whichever occurrence it honours.</li>
 *   <li>A key no line assigns is appended as {@code KEY=VALUE}, in the order given, with the
 *       file's line ending (that of its first line; {@code \n} when it has none). A last line
 *       without a line ending gets one first.</li>
 *   <li>All other bytes stay byte for byte: comments, blank lines, section-like lines, text that
 *       is not UTF-8, a UTF-8 byte order mark, {@code \r\n} endings and a missing final newline.</li>
 * </ul>
 */
public final class FabricManagerConfig {
    private static final String BOM = "\u00ef\u00bb\u00bf";

    /**
     * The result of a rewrite.
     *
     * @param content the new file content
     * @param replacedLines for each key, the 1-based numbers of the lines that assigned it and were
     *     replaced (empty when the key was appended)
     * @param appendedKeys the keys no line assigned, appended at the end in this order
     */
    public record Rewrite(byte[] content, Map<String, List<Integer>> replacedLines, List<String> appendedKeys) {
        public Rewrite {
            content = content.clone();
            Map<String, List<Integer>> copy = new LinkedHashMap<>();
            replacedLines.forEach((k, v) -> copy.put(k, List.copyOf(v)));
            replacedLines = Collections.unmodifiableMap(copy);
            appendedKeys = List.copyOf(appendedKeys);
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        /** The content as text (ISO-8859-1, so every byte maps to one char): for tests and logs. */
        public String text() {
            return new String(content, StandardCharsets.ISO_8859_1);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Rewrite r && Arrays.equals(content, r.content)
                    && replacedLines.equals(r.replacedLines) && appendedKeys.equals(r.appendedKeys);
        }

        @Override
        public int hashCode() {
            return Objects.hash(Arrays.hashCode(content), replacedLines, appendedKeys);
        }

        @Override
        public String toString() {
            return "Rewrite[replaced=" + replacedLines + ", appended=" + appendedKeys + ", "
                    + content.length + " bytes]";
        }
    }

    private FabricManagerConfig() {}

    /**
     * Sets every key of {@code settings} (in iteration order) in {@code original}.
     *
     * @throws IllegalArgumentException when a key is not {@code [A-Z0-9_]+} or a value contains a
     *     line break (a programming error, never bad input from the image)
     */
    public static Rewrite rewrite(byte[] original, Map<String, String> settings) {
        settings.forEach(FabricManagerConfig::checkSetting);
        // ISO-8859-1 maps each byte to one char and back, so untouched lines survive byte for byte.
        String text = new String(original, StandardCharsets.ISO_8859_1);
        String bom = text.startsWith(BOM) ? BOM : "";
        List<Line> lines = split(text.substring(bom.length()));

        Map<String, List<Integer>> replaced = new LinkedHashMap<>();
        settings.keySet().forEach(k -> replaced.put(k, new ArrayList<>()));
        StringBuilder out = new StringBuilder(text.length() + 64).append(bom);
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            String key = assignedKey(line.content, settings);
            if (key == null) {
                out.append(line.content).append(line.ending);
            } else {
                replaced.get(key).add(i + 1);
                out.append(key).append('=').append(settings.get(key)).append(line.ending);
            }
        }

        List<String> appended = new ArrayList<>();
        settings.keySet().stream().filter(k -> replaced.get(k).isEmpty()).forEach(appended::add);
        if (!appended.isEmpty()) {
            String newline = lines.stream().map(l -> l.ending).filter(e -> !e.isEmpty()).findFirst().orElse("\n");
            if (!lines.isEmpty() && lines.get(lines.size() - 1).ending.isEmpty()) {
                out.append(newline);
            }
            for (String key : appended) {
                out.append(key).append('=').append(settings.get(key)).append(newline);
            }
        }
        return new Rewrite(out.toString().getBytes(StandardCharsets.ISO_8859_1), replaced, appended);
    }

    /**
     * The values (trimmed, trailing comments included) of every line of {@code content} that assigns
     * {@code key} by the rule above, in file order; empty when no line does.
     */
    public static List<String> valuesOf(byte[] content, String key) {
        List<String> values = new ArrayList<>();
        String text = new String(content, StandardCharsets.ISO_8859_1);
        // The byte order mark is not part of the first line, as in rewrite: found by fuzzing.
        for (Line line : split(text.startsWith(BOM) ? text.substring(BOM.length()) : text)) {
            int eq = valueStart(line.content, key);
            if (eq >= 0) {
                values.add(line.content.substring(eq).strip());
            }
        }
        return values;
    }

    private static void checkSetting(String key, String value) {
        if (key.isEmpty() || !key.chars().allMatch(c -> c == '_' || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
            throw new IllegalArgumentException("not a Fabric Manager config key: '" + key + "'");
        }
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("value of " + key + " contains a line break");
        }
    }

    private static String assignedKey(String content, Map<String, String> settings) {
        for (String key : settings.keySet()) {
            if (valueStart(content, key) >= 0) {
                return key;
            }
        }
        return null;
    }

    /** The index right after {@code KEY<blanks>=} when {@code content} assigns {@code key}, else -1. */
    private static int valueStart(String content, String key) {
        int i = skipBlanks(content, 0);
        if (!content.startsWith(key, i)) {
            return -1;
        }
        i = skipBlanks(content, i + key.length());
        return i < content.length() && content.charAt(i) == '=' ? i + 1 : -1;
    }

    private static int skipBlanks(String s, int from) {
        int i = from;
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }

    /** A line without its ending, and the ending ({@code \n}, {@code \r\n} or none for the last line). */
    private record Line(String content, String ending) {}

    private static List<Line> split(String text) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            if (nl < 0) {
                lines.add(new Line(text.substring(start), ""));
                break;
            }
            boolean crlf = nl > start && text.charAt(nl - 1) == '\r';
            lines.add(new Line(text.substring(start, crlf ? nl - 1 : nl), crlf ? "\r\n" : "\n"));
            start = nl + 1;
        }
        return lines;
    }
}
