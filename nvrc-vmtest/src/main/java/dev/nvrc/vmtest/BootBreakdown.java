package dev.nvrc.vmtest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the time of one boot went, from its console (the agent's lines and the boot report it
 * printed), in ms: the kernel's {@code Run /init} to {@code main()} ({@code jvm_main_uptime_ms}),
 * {@code main()} to the first step, the first step, the other steps, and the last step's end to the
 * agent's start. The report's times are CLOCK_MONOTONIC ms, the agent's /proc/uptime s.
 *
 * @param initToMain {@code jvm_main_uptime_ms} minus {@code AGENT-KERNEL-RUN-INIT}
 * @param mainToFirstStep the first step's {@code start_ms} minus {@code jvm_main_uptime_ms}
 * @param firstStep the first step's {@code duration_ms}
 * @param otherSteps from the first step's end to the last step's end
 * @param lastStepToAgent {@code AGENT-UPTIME} minus the last step's end
 */
public record BootBreakdown(long initToMain, long mainToFirstStep, long firstStep, long otherSteps, long lastStepToAgent) {
    private static final Pattern STEP = Pattern.compile("\"step\" : \"([^\"]*)\"");
    private static final Pattern START = Pattern.compile("\"start_ms\" : (-?\\d+)");
    private static final Pattern DURATION = Pattern.compile("\"duration_ms\" : (-?\\d+)");
    private static final BigDecimal MS = BigDecimal.valueOf(1000);

    /** The breakdown of a boot; empty when the console lacks the agent's times, main()'s or every step. */
    public static Optional<BootBreakdown> of(String console) {
        Optional<String> runInit = BootFigures.marker(console, "AGENT-KERNEL-RUN-INIT");
        Optional<String> uptime = BootFigures.marker(console, "AGENT-UPTIME");
        OptionalLong main = BootFigures.json(console, "jvm_main_uptime_ms");
        List<long[]> steps = steps(console);
        if (steps.isEmpty() || runInit.isEmpty() || uptime.isEmpty() || main.isEmpty()) {
            return Optional.empty();
        }
        long m = main.getAsLong();
        long[] first = steps.get(0);
        long[] last = steps.get(steps.size() - 1);
        long lastEnd = last[0] + last[1];
        // The agent's seconds have three decimals: exact in ms, then whole ms toward zero.
        return Optional.of(new BootBreakdown(m - ms(runInit.get()), first[0] - m, first[1], lastEnd - first[0] - first[1],
                ms(uptime.get()) - lastEnd));
    }

    /** The five figures in the order of the record. */
    public List<Long> values() {
        return List.of(initToMain, mainToFirstStep, firstStep, otherSteps, lastStepToAgent);
    }

    /** The {@code duration_ms} of the report's first step named {@code name}; empty when there is none. */
    public static OptionalLong stepMs(String console, String name) {
        String current = null;
        for (String line : console.lines().toList()) {
            Matcher step = STEP.matcher(line);
            if (step.find()) {
                current = step.group(1);
                continue;
            }
            Matcher d = DURATION.matcher(line);
            if (name.equals(current) && d.find()) {
                return OptionalLong.of(Long.parseLong(d.group(1)));
            }
        }
        return OptionalLong.empty();
    }

    /** Each step of the report as {start_ms, duration_ms}, in the report's order. */
    static List<long[]> steps(String console) {
        List<long[]> steps = new ArrayList<>();
        long[] current = null;
        for (String line : console.lines().toList()) {
            if (STEP.matcher(line).find()) {
                current = new long[2];
                steps.add(current);
            } else if (current != null) {
                Matcher s = START.matcher(line);
                Matcher d = DURATION.matcher(line);
                if (s.find()) {
                    current[0] = Long.parseLong(s.group(1));
                } else if (d.find()) {
                    current[1] = Long.parseLong(d.group(1));
                }
            }
        }
        return steps;
    }

    private static long ms(String seconds) {
        return new BigDecimal(seconds).multiply(MS).setScale(0, RoundingMode.DOWN).longValueExact();
    }
}
