package dev.nvrc.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code analyze BOOT.JSON [--svg FILE]}: the boot report as a timeline, like
 * {@code systemd-analyze}. Prints one line per step (start, duration, name) and, with
 * {@code --svg}, draws one bar per step.
 */
final class AnalyzeCommand {
    private AnalyzeCommand() {}

    /** One step of the report. */
    record Bar(String step, long startMs, long durationMs, boolean ok) {}

    static int run(List<String> args, PrintStream out, PrintStream err) {
        if (args.isEmpty() || (args.size() != 1 && args.size() != 3) || (args.size() == 3 && !args.get(1).equals("--svg"))) {
            err.println("nvrc: usage: analyze BOOT.JSON [--svg FILE]");
            return Cli.EXIT_INVALID;
        }
        JsonNode report;
        try {
            report = new ObjectMapper().readTree(BoundedFile.read(Path.of(args.get(0)), BoundedFile.CONFIG_FILE));
        } catch (IOException e) {
            err.println("nvrc: cannot read boot report " + args.get(0) + ": " + IoReason.of(e));
            return Cli.EXIT_INVALID;
        }
        List<Bar> bars = new ArrayList<>();
        JsonNode steps = report == null ? null : report.get("steps");
        if (steps == null || !steps.isArray()) {
            err.println("nvrc: " + args.get(0) + ": not a boot report (no \"steps\" array)");
            return Cli.EXIT_INVALID;
        }
        for (JsonNode s : steps) {
            if (!s.path("step").isTextual() || !s.path("start_ms").canConvertToLong()
                    || !s.path("duration_ms").canConvertToLong()) {
                err.println("nvrc: " + args.get(0) + ": a step lacks step/start_ms/duration_ms: " + s);
                return Cli.EXIT_INVALID;
            }
            bars.add(new Bar(s.get("step").asText(), s.get("start_ms").asLong(), s.get("duration_ms").asLong(),
                    s.path("ok").asBoolean(true)));
        }
        out.println("result: " + report.path("result").asText("?") + (report.has("mode") ? ", mode " + report.get("mode").asText() : ""));
        out.printf(Locale.ROOT, "%10s %10s  %s%n", "start ms", "took ms", "step");
        for (Bar b : bars) {
            out.printf(Locale.ROOT, "%10d %10d  %s%s%n", b.startMs(), b.durationMs(), b.step(), b.ok() ? "" : "  FAILED");
        }
        if (report.has("failure")) {
            out.println("failed in " + report.path("failed_step").asText() + ": " + report.path("failure").asText());
        }
        if (args.size() == 3) {
            try {
                Files.writeString(Path.of(args.get(2)), svg(bars));
            } catch (IOException e) {
                err.println("nvrc: cannot write " + args.get(2) + ": " + IoReason.of(e));
                return Cli.EXIT_INVALID;
            }
            out.println("timeline written to " + args.get(2));
        }
        return 0;
    }

    /** A self-contained SVG: a time axis and one labelled bar per step. */
    static String svg(List<Bar> bars) {
        long end = bars.stream().mapToLong(b -> b.startMs() + b.durationMs()).max().orElse(1);
        long span = Math.max(1, end);
        int width = 1000;
        int label = 260;
        int row = 18;
        int height = 40 + row * bars.size();
        double scale = (width - label - 20) / (double) span;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"monospace\" font-size=\"11\">%n",
                width, height));
        sb.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        long tick = niceTick(span);
        for (long t = 0; t <= span; t += tick) {
            double x = label + t * scale;
            sb.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/><text x=\"%.1f\" y=\"14\">%d ms</text>%n",
                    x, x, height, x + 2, t));
        }
        int y = 28;
        for (Bar b : bars) {
            double x = label + b.startMs() * scale;
            double w = Math.max(1.0, b.durationMs() * scale);
            String color = b.ok() ? "#4a90d9" : "#d9534f";
            sb.append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">%s</text>", y + 11, escape(b.step())));
            sb.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s: %d ms</title></rect>",
                    x, y, w, row - 4, color, escape(b.step()), b.durationMs()));
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\">%d ms</text>%n", x + w + 3, y + 11, b.durationMs()));
            y += row;
        }
        sb.append("</svg>\n");
        return sb.toString();
    }

    /** The smallest of 1, 2, 5 x 10^k ms that divides {@code span} into at most ten intervals. */
    static long niceTick(long span) {
        long magnitude = 1;
        while (true) {
            for (long m : new long[] {1, 2, 5}) {
                if (span / (m * magnitude) <= 10) {
                    return m * magnitude;
                }
            }
            magnitude *= 10;
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
