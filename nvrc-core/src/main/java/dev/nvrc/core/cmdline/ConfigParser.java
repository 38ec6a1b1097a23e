package dev.nvrc.core.cmdline;

import dev.nvrc.core.api.Mode;
import dev.nvrc.core.api.RailPolicy;
import dev.nvrc.core.api.VerityParameters;
import dev.nvrc.core.topology.ModeDetector;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link BootConfig} from a kernel command line, strictly.
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

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<Parameter, Token> given = new EnumMap<>(Parameter.class);
    private final Map<Parameter, Object> values = new EnumMap<>(Parameter.class);
    private final Map<String, VerityParameters> extensions = new LinkedHashMap<>();

    private ConfigParser() {}

    /**
     * Parses {@code commandLine}.
     *
     * @throws InvalidCommandLineException listing every problem found
     */
    public static BootConfig parse(String commandLine) throws InvalidCommandLineException {
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
        ValueKind kind = p.kind();
        if (token.isFlag() && !kind.isBoolean()) {
            problem(token, "needs a value: " + kind.expected());
            return;
        }
        // nvrc.log= (empty) is upstream's way of writing off; every other empty value is a mistake.
        if (token.value() != null && token.value().isEmpty() && !kind.acceptsEmpty()) {
            problem(token, "empty value: " + kind.expected());
            return;
        }
        Token sameSetting = given.put(p, token);
        if (sameSetting != null && !sameSetting.key().equals(key)) {
            // nvrc.modules and upstream's nvrc.extra_modules both given: which list was meant?
            problem(token, "sets the same list as " + sameSetting.raw() + " (" + key + " is upstream's name for "
                    + p.key() + "); give only one of them");
            return;
        }
        Object value = kind.parse(token, token.value(), problems);
        if (value != null) {
            values.put(p, value);
        }
    }

    /**
     * Settings that cannot mean anything in the explicit mode: a parameter given in a mode outside
     * its descriptor's {@link Parameter#modes()}, and the mode decision's NVLink 5 rail-policy rule
     * for a service VM that names its fabric.
     */
    private void checkCombinations() {
        Mode mode = (Mode) values.get(Parameter.MODE);
        if (mode == null) {
            return;
        }
        String why = mode == Mode.CPU
                ? "has no effect in cpu mode (nvrc.mode=cpu runs no GPU or fabric work)"
                : "has no effect in an NVSwitch service VM (nvrc.mode=" + mode + " runs no GPU work)";
        for (Parameter p : Parameter.values()) {
            Token t = given.get(p);
            if (t != null && !p.modes().contains(mode)) {
                problem(t, why);
            }
        }
        RailPolicy policy = (RailPolicy) values.get(Parameter.FM_RAIL_POLICY);
        if (mode.isServiceVm() && policy != null && !ModeDetector.railPolicyAllowed(ModeDetector.fabricNamedBy(mode), policy)) {
            problem(given.get(Parameter.FM_RAIL_POLICY),
                    "NVLink 5 partitions need the symmetric rail policy (nvrc.mode=nvswitch-nvl5); "
                            + "leave the parameter out or set nvrc.fm.rail.policy=symmetric");
        }
    }

    /**
     * Every parameter's value: the one given, else its descriptor's default; an explicit
     * service-VM mode also fills in the fabric settings the mode decision gives it, so that
     * {@code check-cmdline} shows them.
     */
    private BootConfig build() {
        Map<Parameter, Object> all = new EnumMap<>(Parameter.class);
        for (Parameter p : Parameter.values()) {
            all.put(p, values.containsKey(p) ? values.get(p) : p.defaultValue(given.keySet()));
        }
        Mode mode = (Mode) all.get(Parameter.MODE);
        if (mode != null && mode.isServiceVm()) {
            all.putIfAbsent(Parameter.FM_MODE, ModeDetector.defaultFabricMode(mode));
            all.putIfAbsent(Parameter.FM_RAIL_POLICY, ModeDetector.defaultRailPolicy(ModeDetector.fabricNamedBy(mode)));
        }
        return new BootConfig(all, extensions);
    }

    private void problem(Token token, String message) {
        problems.add(new ConfigProblem(token.raw(), message));
    }
}
