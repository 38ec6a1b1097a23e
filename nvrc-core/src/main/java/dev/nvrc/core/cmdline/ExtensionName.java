package dev.nvrc.core.cmdline;

/**
 * The rule for the name of a Kata guest extension, shared by the command line
 * ({@code kata.extension.<name>.verity_params}) and the block device ({@code serial} reads
 * {@code extension-<name>}). The name becomes a path component ({@code /run/kata-extensions/<name>})
 * and a device-mapper name, so it must be non-empty, not only dots, and use only letters, digits,
 * {@code _}, {@code .} and {@code -}.
 */
public final class ExtensionName {
    /** What a valid name looks like, for messages. */
    public static final String RULE = "expected letters, digits, '_', '.', '-' and not only dots";

    private ExtensionName() {}

    /** True when {@code name} may name an extension. */
    public static boolean isValid(String name) {
        if (name == null || name.isEmpty() || name.chars().allMatch(c -> c == '.')) {
            return false;
        }
        return name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-');
    }
}
