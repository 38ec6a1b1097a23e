package dev.nvrc.core.cmdline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link Parameter}'s value is and how it is read: a boolean, a whole number with a bound
 * and a unit, a choice of names, a module list. Each kind parses a token's value into the typed
 * value {@link BootConfig} keeps, reports a malformed one as a {@link ConfigProblem}, says what it
 * expects (for {@code needs a value:} and {@code empty value:}) and writes its value as
 * {@code check-cmdline} prints it.
 */
abstract class ValueKind {
    static final String BOOLEANS = "on/off, true/false, 1/0 or yes/no";

    /** What a value must be, after {@code needs a value: } or {@code empty value: }. */
    abstract String expected();

    /** The typed value of {@code value} (never empty unless {@link #acceptsEmpty()}), or {@code null} after a problem. */
    abstract Object parse(Token token, String value, List<ConfigProblem> problems);

    /** True for booleans: a bare flag ({@code nvrc.dcgm}) means on. */
    boolean isBoolean() {
        return false;
    }

    /** True when an empty value ({@code key=}) is a value, not a mistake. */
    boolean acceptsEmpty() {
        return false;
    }

    /** {@code value} as {@code check-cmdline} prints it; {@code value} is not {@code null}. */
    Object json(Object value) {
        return value;
    }

    /** {@code value} as docs/kernel-parameters.md writes a default. */
    String doc(Object value) {
        return String.valueOf(json(value));
    }

    static ValueKind bool() {
        return new Bool();
    }

    /** A whole decimal number from 1 to {@code max} of {@code unit}, kept as an {@link Integer}. */
    static ValueKind number(int max, String unit) {
        return new Number(max, unit, n -> n, v -> v);
    }

    /** A whole number of seconds from 1 to {@code max}, kept as a {@link Duration}, printed in seconds. */
    static ValueKind seconds(int max) {
        return new Number(max, "s", n -> Duration.ofSeconds(n), v -> ((Duration) v).toSeconds());
    }

    /**
     * One of {@code accepted}, in any case, kept as {@code read} of the accepted spelling and
     * printed as {@code json}.
     */
    static ValueKind choice(List<String> accepted, Function<String, Object> read, Function<Object, Object> json) {
        return new Choice(accepted, read, json, "", null);
    }

    /** One of an enum's lower-case names, in any case. */
    static <E extends Enum<E>> ValueKind choice(Class<E> type) {
        return choice(names(type), s -> Enum.valueOf(type, s.toUpperCase(Locale.ROOT)),
                v -> ((Enum<?>) v).name().toLowerCase(Locale.ROOT));
    }

    /** {@code nvrc.log}: a level by name; {@code 0} and the empty value also mean off, as upstream reads them. */
    static ValueKind logLevel() {
        return new Choice(names(LogLevel.class), s -> LogLevel.valueOf(s.toUpperCase(Locale.ROOT)),
                v -> ((LogLevel) v).canonical(), " (0 or empty: off)", LogLevel.OFF);
    }

    /** Comma-separated module names ({@link ModuleNames}), kept as a list. */
    static ValueKind modules() {
        return new ValueKind() {
            @Override
            String expected() {
                return ModuleNames.RULE;
            }

            @Override
            Object parse(Token token, String value, List<ConfigProblem> problems) {
                return ModuleNames.parse(token, value, problems);
            }

            @Override
            String doc(Object value) {
                List<?> names = (List<?>) value;
                return names.isEmpty() ? "none" : String.join(",", names.stream().map(String::valueOf).toList());
            }
        };
    }

    static <E extends Enum<E>> List<String> names(Class<E> type) {
        List<String> out = new ArrayList<>();
        for (E v : type.getEnumConstants()) {
            out.add(v.name().toLowerCase(Locale.ROOT));
        }
        return List.copyOf(out);
    }

    static void problem(List<ConfigProblem> problems, Token token, String message) {
        problems.add(new ConfigProblem(token.raw(), message));
    }

    static String hint(String value, List<String> accepted) {
        return Suggestions.closest(value, accepted).map(s -> ", did you mean " + s + "?").orElse("");
    }

    private static final class Bool extends ValueKind {
        @Override
        String expected() {
            return BOOLEANS;
        }

        @Override
        boolean isBoolean() {
            return true;
        }

        @Override
        Object parse(Token token, String value, List<ConfigProblem> problems) {
            if (token.isFlag()) {
                return true;
            }
            switch (value.toLowerCase(Locale.ROOT)) {
                case "on", "true", "1", "yes" -> {
                    return true;
                }
                case "off", "false", "0", "no" -> {
                    return false;
                }
                default -> {
                    problem(problems, token, "expected " + BOOLEANS + hint(value,
                            List.of("on", "off", "true", "false", "yes", "no")));
                    return null;
                }
            }
        }

        @Override
        String doc(Object value) {
            return (Boolean) value ? "on" : "off";
        }
    }

    private static final class Number extends ValueKind {
        private final int max;
        private final String unit;
        private final Function<Integer, Object> read;
        private final Function<Object, Object> json;

        Number(int max, String unit, Function<Integer, Object> read, Function<Object, Object> json) {
            this.max = max;
            this.unit = unit;
            this.read = read;
            this.json = json;
        }

        @Override
        String expected() {
            return "a whole number of " + unit + " from 1 to " + max;
        }

        /** Digits only: no sign, unit or exponent. */
        @Override
        Object parse(Token token, String value, List<ConfigProblem> problems) {
            boolean digits = !value.isEmpty() && value.length() <= 10 && value.chars().allMatch(c -> c >= '0' && c <= '9');
            long n = digits ? Long.parseLong(value) : -1;
            if (n < 1 || n > max) {
                String example = switch (unit) {
                    case "MHz" -> "1980";
                    case "W" -> "700";
                    default -> "600";
                };
                problem(problems, token, "expected " + expected() + ", digits only without unit (e.g. " + token.key()
                        + "=" + example + ")");
                return null;
            }
            return read.apply((int) n);
        }

        @Override
        Object json(Object value) {
            return json.apply(value);
        }
    }

    private static final class Choice extends ValueKind {
        private final List<String> accepted;
        private final Function<String, Object> read;
        private final Function<Object, Object> json;
        private final String note;
        private final Object emptyOrZero;

        Choice(List<String> accepted, Function<String, Object> read, Function<Object, Object> json, String note,
                Object emptyOrZero) {
            this.accepted = List.copyOf(accepted);
            this.read = read;
            this.json = json;
            this.note = note;
            this.emptyOrZero = emptyOrZero;
        }

        @Override
        String expected() {
            return "one of " + String.join(", ", accepted) + note;
        }

        @Override
        boolean acceptsEmpty() {
            return emptyOrZero != null;
        }

        @Override
        Object parse(Token token, String value, List<ConfigProblem> problems) {
            if (emptyOrZero != null && (value.isEmpty() || value.equals("0"))) {
                return emptyOrZero;
            }
            for (String a : accepted) {
                if (a.equalsIgnoreCase(value)) {
                    return Objects.requireNonNull(read.apply(a), a);
                }
            }
            problem(problems, token, "expected one of " + String.join(", ", accepted) + hint(value, accepted));
            return null;
        }

        @Override
        Object json(Object value) {
            return json.apply(value);
        }
    }
}
