package dev.nvrc.vmtest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * docs/performance.md as the boot benchmark writes it: the page's text is a template beside this
 * class ({@code performance.md}; another architecture's section {@code performance-arch.md}) whose
 * {@code {{name}}} slots take the run's figures. Two parts of the page are not the run's and survive
 * a rewrite: the hand-written notes between {@link #NOTES_BEGIN} and {@link #NOTES_END}, and another
 * architecture's section between {@link #ARCH_BEGIN} and {@link #ARCH_END}, which only a run of that
 * architecture replaces.
 */
public final class PerformanceDoc {
    /** Where the hand-written notes begin (the line itself). */
    public static final String NOTES_BEGIN = "<!-- bench-boot: notes, kept -->";
    /** Where they end. */
    public static final String NOTES_END = "<!-- bench-boot: end of notes -->";
    /** Where another architecture's section begins. */
    public static final String ARCH_BEGIN = "<!-- bench-boot: other architectures -->";
    /** Where it ends. */
    public static final String ARCH_END = "<!-- bench-boot: end -->";

    private static final Pattern SLOT = Pattern.compile("\\{\\{([a-z0-9_]+)}}");
    private static final String LEVERS = """

            ## Levers

            Booted in the same run, interleaved with the rows above (`NVRC_BENCH_LEVERS`): medians, and in
            brackets the ratio to the series each lever is measured against: this build for an initramfs
            lever, and for a JVM-flag lever this build started through the same wrapper with no flag changed
            (`src/main/guest/bench-jvm`; its own medians are the jvm-base series in the raw figures). Below
            1.00× is faster or smaller. A handoff cell adds nvrc's /init to handoff and its ratio where
            either series has that figure (not in a boot of an initramfs older than the pre-init's
            `VMTEST-EXEC-INIT` line).

            """;

    private PerformanceDoc() {}

    /** This machine's page: the template filled, the lever section when there is one, and what {@code old} keeps. */
    public static String page(Map<String, String> values, String leverTable, String old) {
        StringBuilder page = new StringBuilder(fill(template("performance.md"), values));
        if (!leverTable.isEmpty()) {
            page.append(LEVERS).append(leverTable).append('\n');
        }
        for (String kept : List.of(between(old, NOTES_BEGIN, NOTES_END), between(old, ARCH_BEGIN, ARCH_END))) {
            if (!kept.isEmpty()) {
                page.append('\n').append(kept).append('\n');
            }
        }
        return page.toString();
    }

    /**
     * {@code old} with another architecture's section replaced by the one {@code values} fill, or with
     * it appended after a blank line when {@code old} has none.
     */
    public static String withArchSection(String old, Map<String, String> values) {
        String section = ARCH_BEGIN + "\n" + fill(template("performance-arch.md"), values) + ARCH_END;
        List<String> lines = old.lines().toList();
        int begin = lines.indexOf(ARCH_BEGIN);
        if (begin < 0) {
            return old + (old.endsWith("\n") || old.isEmpty() ? "" : "\n") + "\n" + section + "\n";
        }
        List<String> out = new ArrayList<>(lines.subList(0, begin));
        out.add(section);
        int end = lines.subList(begin, lines.size()).indexOf(ARCH_END);
        if (end >= 0) {
            out.addAll(lines.subList(begin + end + 1, lines.size()));
        }
        return String.join("\n", out) + "\n";
    }

    /**
     * The lines of {@code doc} from each {@code begin} line to the next {@code end} line, both
     * included; empty when there is none.
     */
    static String between(String doc, String begin, String end) {
        List<String> kept = new ArrayList<>();
        boolean in = false;
        for (String line : doc.lines().toList()) {
            in |= line.equals(begin);
            if (in) {
                kept.add(line);
            }
            in &= !line.equals(end);
        }
        return String.join("\n", kept);
    }

    /** {@code template} with each {@code {{name}}} replaced by its value; a slot without a value is an error. */
    static String fill(String template, Map<String, String> values) {
        Matcher m = SLOT.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("no value for {{" + m.group(1) + "}} of the performance page");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        return m.appendTail(out).toString();
    }

    static String template(String name) {
        try (InputStream in = PerformanceDoc.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no template " + name + " beside " + PerformanceDoc.class.getName());
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the template " + name, e);
        }
    }
}
