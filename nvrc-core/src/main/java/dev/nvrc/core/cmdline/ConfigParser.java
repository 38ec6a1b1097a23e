package dev.nvrc.core.cmdline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link Config} from a kernel command line, strictly.
 *
 * <p>Only {@code nvrc.*} keys (and {@code kata.extension.<name>.verity_params}) are read; every
 * other key belongs to the kernel or to someone else and is ignored. Every {@code nvrc.*} token is
 * checked: an unknown key, a flag where a value is needed, an empty or malformed value, or a
 * combination that cannot be meant is a {@link ConfigProblem}. All problems are collected and
 * reported together, in command-line order. A repeated key is allowed and the last occurrence
 * wins, but every occurrence must be valid.
 */
public final class ConfigParser {
    /** Bounds of locked clocks in MHz: above any GPU or memory clock, below a Hz-for-MHz slip. */
    public static final int MAX_CLOCK_MHZ = 20_000;
    /** Bound of the power limit in W: above any single GPU board today. */
    public static final int MAX_POWER_W = 5_000;
    /** Bound of readiness timeouts in s: one hour. */
    public static final int MAX_TIMEOUT_S = 3_600;

    private static final String PREFIX = "nvrc.";
    private static final String BOOLEANS = "on/off, true/false, 1/0 or yes/no";

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<Parameter, Token> given = new EnumMap<>(Parameter.class);
    private final Map<String, VerityParams> extensions = new LinkedHashMap<>();

    private Mode mode;
    private LogLevel log = LogLevel.OFF;
    private Integer lgc;
    private Integer lmc;
    private Integer pl;
    private ConfComputeReadyState srs;
    private boolean uvm = true;
    private boolean uvmTools;
    private boolean dcgm;
    private Integer fmMode;
    private RailPolicy railPolicy;
    private Duration timeout = Config.DEFAULT_TIMEOUT;
    private final Map<String, Duration> daemonTimeouts = new LinkedHashMap<>();
    private CdiBackend cdi = CdiBackend.NATIVE;
    private List<String> modules = List.of();

    private ConfigParser() {}

    /**
     * Parses {@code commandLine}.
     *
     * @throws InvalidCommandLineException listing every problem found
     */
    public static Config parse(String commandLine) throws InvalidCommandLineException {
        ConfigParser parser = new ConfigParser();
        for (Token token : KernelCommandLine.tokenize(commandLine)) {
            parser.accept(token);
        }
        parser.checkCombinations();
        if (!parser.problems.isEmpty()) {
            throw new InvalidCommandLineException(parser.problems);
        }
        return parser.build();
    }

    private void accept(Token token) {
        String key = token.key();
        if (key.startsWith(ExtensionParams.PREFIX)) {
            ExtensionParams.accept(token, extensions, problems);
            return;
        }
        if (!key.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
            return;
        }
        Optional<Parameter> parameter = Parameter.byKey(key);
        if (parameter.isEmpty()) {
            String hint = Suggestions.closest(key, Parameter.keys()).map(k -> ", did you mean " + k + "?")
                    .orElse(" (known: " + String.join(", ", Parameter.keys()) + ")");
            problem(token, "unknown parameter" + hint);
            return;
        }
        Parameter p = parameter.get();
        if (token.isFlag() && !isBoolean(p)) {
            problem(token, "needs a value: " + expected(p));
            return;
        }
        // nvrc.log= (empty) is upstream's way of writing off; every other empty value is a mistake.
        if (token.value() != null && token.value().isEmpty() && p != Parameter.LOG) {
            problem(token, "empty value: " + expected(p));
            return;
        }
        Token sameSetting = given.put(p, token);
        if (sameSetting != null && !sameSetting.key().equals(key)) {
            // nvrc.modules and upstream's nvrc.extra_modules both given: which list was meant?
            problem(token, "sets the same list as " + sameSetting.raw() + " (" + key + " is upstream's name for "
                    + p.key() + "); give only one of them");
            return;
        }
        String v = token.value();
        switch (p) {
            case MODE -> choice(token, v, Mode.spellings()).flatMap(Mode::parse).ifPresent(m -> mode = m);
            case LOG -> logLevel(token, v).ifPresent(level -> log = level);
            case SMI_LGC -> number(token, v, MAX_CLOCK_MHZ, "MHz").ifPresent(n -> lgc = n);
            case SMI_LMC -> number(token, v, MAX_CLOCK_MHZ, "MHz").ifPresent(n -> lmc = n);
            case SMI_PL -> number(token, v, MAX_POWER_W, "W").ifPresent(n -> pl = n);
            case SMI_SRS -> choice(token, v, List.of("1", "0", "enabled", "disabled"))
                    .ifPresent(s -> srs = ConfComputeReadyState.of(s));
            case UVM_PERSISTENCE_MODE -> bool(token).ifPresent(b -> uvm = b);
            case UVM_TOOLS -> bool(token).ifPresent(b -> uvmTools = b);
            case DCGM -> bool(token).ifPresent(b -> dcgm = b);
            case FM_MODE -> choice(token, v, List.of("0", "1")).ifPresent(s -> fmMode = Integer.valueOf(s));
            case FM_RAIL_POLICY -> choice(token, v, names(RailPolicy.values()))
                    .ifPresent(s -> railPolicy = RailPolicy.valueOf(s.toUpperCase(Locale.ROOT)));
            case TIMEOUT -> number(token, v, MAX_TIMEOUT_S, "s").ifPresent(n -> timeout = Duration.ofSeconds(n));
            case TIMEOUT_PERSISTENCED, TIMEOUT_FABRICMANAGER, TIMEOUT_NVLSM -> number(token, v, MAX_TIMEOUT_S, "s")
                    .ifPresent(n -> daemonTimeouts.put(p.key().substring("nvrc.timeout.".length()), Duration.ofSeconds(n)));
            case CDI -> choice(token, v, names(CdiBackend.values()))
                    .ifPresent(s -> cdi = CdiBackend.valueOf(s.toUpperCase(Locale.ROOT)));
            case MODULES -> {
                List<String> names = ModuleNames.parse(token, v, problems);
                if (names != null) {
                    modules = names;
                }
            }
            default -> throw new IllegalStateException("unhandled " + p);
        }
    }

    /** Settings that cannot mean anything in the explicit mode. */
    private void checkCombinations() {
        if (mode == null) {
            return;
        }
        List<Parameter> pointless = switch (mode) {
            case CPU -> List.of(Parameter.SMI_LGC, Parameter.SMI_LMC, Parameter.SMI_PL, Parameter.SMI_SRS,
                    Parameter.UVM_PERSISTENCE_MODE, Parameter.UVM_TOOLS, Parameter.DCGM, Parameter.FM_MODE, Parameter.FM_RAIL_POLICY,
                    Parameter.TIMEOUT, Parameter.TIMEOUT_PERSISTENCED, Parameter.TIMEOUT_FABRICMANAGER, Parameter.TIMEOUT_NVLSM,
                    Parameter.CDI);
            case NVSWITCH_NVL4, NVSWITCH_NVL5 -> List.of(Parameter.SMI_LGC, Parameter.SMI_LMC, Parameter.SMI_PL,
                    Parameter.SMI_SRS, Parameter.UVM_PERSISTENCE_MODE, Parameter.UVM_TOOLS, Parameter.DCGM,
                    Parameter.TIMEOUT_PERSISTENCED,
                    Parameter.CDI);
            case GPU -> List.of();
        };
        String why = mode == Mode.CPU
                ? "has no effect in cpu mode (nvrc.mode=cpu runs no GPU or fabric work)"
                : "has no effect in an NVSwitch service VM (nvrc.mode=" + mode + " runs no GPU work)";
        for (Parameter p : pointless) {
            Token t = given.get(p);
            if (t != null) {
                problem(t, why);
            }
        }
        if (mode == Mode.NVSWITCH_NVL5 && railPolicy != null && !railPolicy.allowedOnNvLink5()) {
            problem(given.get(Parameter.FM_RAIL_POLICY),
                    "NVLink 5 partitions need the symmetric rail policy (nvrc.mode=nvswitch-nvl5); "
                            + "leave the parameter out or set nvrc.fm.rail.policy=symmetric");
        }
    }

    private Config build() {
        RailPolicy policy = railPolicy;
        if (policy == null && mode != null && mode.isServiceVm()) {
            policy = RailPolicy.defaultFor(mode == Mode.NVSWITCH_NVL5);
        }
        Integer fabric = fmMode;
        if (fabric == null && mode != null && mode.isServiceVm()) {
            fabric = 1;
        }
        Map<String, Duration> timeouts = new LinkedHashMap<>();
        if (!given.containsKey(Parameter.TIMEOUT)) {
            timeouts.putAll(Config.defaultDaemonTimeouts());
        }
        timeouts.putAll(daemonTimeouts);
        return new Config(mode, log, lgc, lmc, pl, srs, uvm, uvmTools, dcgm, fabric, policy, timeout, timeouts, cdi,
                extensions, modules);
    }

    private static boolean isBoolean(Parameter p) {
        return p == Parameter.DCGM || p == Parameter.UVM_PERSISTENCE_MODE || p == Parameter.UVM_TOOLS;
    }

    /** A level by name; {@code 0} and the empty value also mean off, as upstream reads them. */
    private Optional<LogLevel> logLevel(Token token, String value) {
        if (value.isEmpty() || value.equals("0")) {
            return Optional.of(LogLevel.OFF);
        }
        return choice(token, value, names(LogLevel.values())).map(s -> LogLevel.valueOf(s.toUpperCase(Locale.ROOT)));
    }

    private Optional<Boolean> bool(Token token) {
        if (token.isFlag()) {
            return Optional.of(true);
        }
        switch (token.value().toLowerCase(Locale.ROOT)) {
            case "on", "true", "1", "yes" -> {
                return Optional.of(true);
            }
            case "off", "false", "0", "no" -> {
                return Optional.of(false);
            }
            default -> {
                problem(token, "expected " + BOOLEANS + hint(token.value(),
                        List.of("on", "off", "true", "false", "yes", "no")));
                return Optional.empty();
            }
        }
    }

    private Optional<String> choice(Token token, String value, List<String> accepted) {
        for (String a : accepted) {
            if (a.equalsIgnoreCase(value)) {
                return Optional.of(a);
            }
        }
        problem(token, "expected one of " + String.join(", ", accepted) + hint(value, accepted));
        return Optional.empty();
    }

    /** A whole decimal number from 1 to {@code max}: digits only, no sign, unit or exponent. */
    private Optional<Integer> number(Token token, String value, int max, String unit) {
        boolean digits = !value.isEmpty() && value.length() <= 10 && value.chars().allMatch(c -> c >= '0' && c <= '9');
        long n = digits ? Long.parseLong(value) : -1;
        if (n < 1 || n > max) {
            String example = switch (unit) {
                case "MHz" -> "1980";
                case "W" -> "700";
                default -> "600";
            };
            problem(token, "expected a whole number of " + unit + " from 1 to " + max
                    + ", digits only without unit (e.g. " + token.key() + "=" + example + ")");
            return Optional.empty();
        }
        return Optional.of((int) n);
    }

    private static String hint(String value, List<String> accepted) {
        return Suggestions.closest(value, accepted).map(s -> ", did you mean " + s + "?").orElse("");
    }

    private static String expected(Parameter p) {
        return switch (p) {
            case MODE -> "one of " + String.join(", ", Mode.spellings());
            case LOG -> "one of " + String.join(", ", names(LogLevel.values())) + " (0 or empty: off)";
            case SMI_LGC, SMI_LMC -> "a whole number of MHz from 1 to " + MAX_CLOCK_MHZ;
            case SMI_PL -> "a whole number of W from 1 to " + MAX_POWER_W;
            case SMI_SRS -> "one of 1, 0, enabled, disabled";
            case UVM_PERSISTENCE_MODE, UVM_TOOLS, DCGM -> BOOLEANS;
            case FM_MODE -> "one of 0, 1";
            case FM_RAIL_POLICY -> "one of " + String.join(", ", names(RailPolicy.values()));
            case TIMEOUT, TIMEOUT_PERSISTENCED, TIMEOUT_FABRICMANAGER, TIMEOUT_NVLSM -> "a whole number of s from 1 to " + MAX_TIMEOUT_S;
            case CDI -> "one of " + String.join(", ", names(CdiBackend.values()));
            case MODULES -> ModuleNames.RULE;
        };
    }

    private static List<String> names(Enum<?>[] values) {
        List<String> out = new ArrayList<>();
        for (Enum<?> v : values) {
            out.add(v.name().toLowerCase(Locale.ROOT));
        }
        return out;
    }

    private void problem(Token token, String message) {
        problems.add(new ConfigProblem(token.raw(), message));
    }
}
