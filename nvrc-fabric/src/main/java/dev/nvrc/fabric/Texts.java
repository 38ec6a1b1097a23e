package dev.nvrc.fabric;


/** Wording shared by the failure messages of this module. */
final class Texts {
    /** How much of a file's unexpected content a message quotes. */
    static final int QUOTE_LIMIT = 80;

    private Texts() {}

    /**
     * {@code text} quoted for a one-line message: control characters escaped, cut after
     * {@value #QUOTE_LIMIT} characters.
     */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("'");
        int shown = Math.min(text.length(), QUOTE_LIMIT);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
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
}
