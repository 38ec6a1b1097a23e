package dev.nvrc.core.cmdline;

import dev.nvrc.core.api.VerityParameters;
import java.util.List;
import java.util.Map;

/**
 * {@code kata.extension.<name>.verity_params=root_hash=..,salt=..,data_blocks=..,data_block_size=..,hash_block_size=..}:
 * the dm-verity parameters of a Kata composable-image extension. Other {@code kata.extension.*}
 * keys are not ours and are ignored.
 */
final class ExtensionParams {
    static final String PREFIX = "kata.extension.";
    private static final String SUFFIX = ".verity_params";

    private ExtensionParams() {}

    static void accept(Token token, Map<String, VerityParameters> into, List<ConfigProblem> problems) {
        String key = token.key();
        if (!key.endsWith(SUFFIX) || key.length() < PREFIX.length() + SUFFIX.length()) {
            return;
        }
        String name = key.substring(PREFIX.length(), key.length() - SUFFIX.length());
        if (!ExtensionName.isValid(name)) {
            problems.add(new ConfigProblem(token.raw(), "invalid extension name \"" + name + "\": "
                    + ExtensionName.RULE));
            return;
        }
        if (token.value() == null || token.value().isEmpty()) {
            problems.add(new ConfigProblem(token.raw(), "needs a value: root_hash=..,salt=..,data_blocks=..,"
                    + "data_block_size=..,hash_block_size=.."));
            return;
        }
        String rootHash = null;
        String salt = null;
        long[] numbers = new long[3];
        String[] numberNames = {"data_blocks", "data_block_size", "hash_block_size"};
        boolean ok = true;
        for (String item : token.value().split(",", -1)) {
            int eq = item.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String k = item.substring(0, eq);
            String v = item.substring(eq + 1);
            switch (k) {
                case "root_hash" -> rootHash = v;
                case "salt" -> salt = v;
                default -> {
                    for (int i = 0; i < numberNames.length; i++) {
                        if (numberNames[i].equals(k)) {
                            long n = parsePositive(v);
                            if (n <= 0) {
                                problems.add(new ConfigProblem(token.raw(),
                                        k + "=" + v + ": expected a whole number greater than 0"));
                                ok = false;
                            }
                            numbers[i] = n;
                        }
                    }
                }
            }
        }
        if (rootHash == null || salt == null) {
            problems.add(new ConfigProblem(token.raw(), "missing " + (rootHash == null ? "root_hash" : "salt")));
            return;
        }
        for (int i = 0; i < numbers.length; i++) {
            if (numbers[i] == 0 && ok) {
                problems.add(new ConfigProblem(token.raw(), "missing or zero " + numberNames[i]));
                ok = false;
            }
        }
        if (ok) {
            into.put(name, new VerityParameters(rootHash, salt, numbers[0], numbers[1], numbers[2]));
        }
    }

    private static long parsePositive(String v) {
        if (v.isEmpty() || v.length() > 18 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(v);
    }
}
