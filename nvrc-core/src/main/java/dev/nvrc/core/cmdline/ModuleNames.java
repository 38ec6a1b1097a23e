package dev.nvrc.core.cmdline;

import dev.nvrc.core.io.Printable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code nvrc.modules=a,b,c}: kernel modules to load before module loading is locked.
 *
 * <p>An item is a module <em>name</em> as modprobe looks it up in {@code modules.dep}: 1 to
 * {@value #MAX_LENGTH} letters, digits, {@code _} and {@code -}, starting with a letter, a digit or
 * {@code _} (upstream's {@code nvrc.extra_modules} rule).
 * The bound is the kernel's: {@code MODULE_NAME_LEN} is 64 minus the size of a pointer, less the
 * terminating NUL. The first character rules out options: an item such as {@code -r} would turn
 * modprobe into module removal. Aliases ({@code pci:v...}, {@code crypto-hmac(sha256)}), paths
 * and file names ({@code dummy.ko}) are not names and are refused, so that the host, which writes
 * the command line, can only ask for modules the image ships, by name. modprobe treats {@code -}
 * and {@code _} as the same character, so {@code foo-bar,foo_bar} is a duplicate.
 */
final class ModuleNames {
    /** The longest module name the kernel keeps (MODULE_NAME_LEN - 1 on a 64-bit kernel). */
    static final int MAX_LENGTH = 55;
    /** What an item must be, for messages. */
    static final String RULE = "module names of 1 to " + MAX_LENGTH
            + " letters, digits, '_' and '-', starting with a letter, digit or '_', separated by commas";

    private ModuleNames() {}

    /**
     * The names of {@code value} in order, or the problems with it added to {@code problems}
     * (then the result is null).
     */
    static List<String> parse(Token token, String value, List<ConfigProblem> problems) {
        List<String> names = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();
        boolean ok = true;
        String[] items = value.split(",", -1);
        for (int i = 0; i < items.length; i++) {
            String item = items[i];
            String where = "item " + (i + 1) + " of " + items.length;
            String why = invalid(item);
            if (why != null) {
                problems.add(new ConfigProblem(token.raw(), where + (item.isEmpty() ? "" : " \"" + item + "\"")
                        + ": " + why + "; expected " + RULE + " (e.g. nvrc.modules=dummy,vsock)"));
                ok = false;
                continue;
            }
            String same = seen.putIfAbsent(canonical(item), item);
            if (same != null) {
                problems.add(new ConfigProblem(token.raw(), where + " \"" + item + "\": duplicate of \"" + same
                        + "\" (modprobe reads '-' and '_' alike); list each module once"));
                ok = false;
                continue;
            }
            names.add(item);
        }
        return ok ? List.copyOf(names) : null;
    }

    /** Why {@code item} is not a module name, or null when it is one. */
    static String invalid(String item) {
        if (item.isEmpty()) {
            return "empty module name";
        }
        if (item.endsWith(".ko") || item.contains(".ko.")) {
            return "a file name, not a module name (did you mean " + item.substring(0, item.indexOf(".ko")) + "?)";
        }
        if (item.contains("/")) {
            return "a path, not a module name";
        }
        if (item.length() > MAX_LENGTH) {
            return "longer than " + MAX_LENGTH + " characters";
        }
        char first = item.charAt(0);
        if (!letterOrDigit(first) && first != '_') {
            return "starts with '" + first + "'" + (first == '-' ? " (modprobe would read it as an option)" : "");
        }
        for (int i = 0; i < item.length(); i++) {
            char c = item.charAt(i);
            if (!letterOrDigit(c) && c != '_' && c != '-') {
                return "contains '" + Printable.escaped(c) + "'";
            }
        }
        return null;
    }

    /** The name modprobe and /proc/modules use: {@code -} read as {@code _}. */
    static String canonical(String name) {
        return name.replace('-', '_');
    }

    private static boolean letterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
