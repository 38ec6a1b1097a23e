package dev.nvrc.plan;

import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.report.BootReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JVM's memory just before the handoff, from {@code /proc/self/status}, as report facts: the
 * peak (VmHWM) and how the resident set splits into anonymous memory (heap, metaspace, code cache,
 * malloc) and file pages (libjvm, the CDS archive, the module image), which is what decides where
 * a smaller footprint could come from.
 */
final class JvmMemory {
    /** {@code /proc/self/status} field to report fact. */
    static final Map<String, String> FACTS = Map.of("VmHWM", "jvm_peak_rss_kb", "RssAnon", "jvm_rss_anon_kb",
            "RssFile", "jvm_rss_file_kb", "RssShmem", "jvm_rss_shmem_kb");

    private JvmMemory() {}

    /**
     * Reads the fields of {@link #FACTS} from a status file; a field that is missing or not a
     * number of kB is -1, so the report says "unknown" rather than the boot failing over a figure.
     */
    static Map<String, Long> read(Path status) {
        Map<String, Long> values = new LinkedHashMap<>();
        FACTS.keySet().stream().sorted().forEach(field -> values.put(field, -1L));
        try {
            String text = new String(BoundedFile.read(status, BoundedFile.KERNEL_FILE), StandardCharsets.UTF_8);
            for (String line : text.split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && values.containsKey(line.substring(0, colon))) {
                    values.put(line.substring(0, colon), kilobytes(line.substring(colon + 1)));
                }
            }
        } catch (IOException e) {
            // Every figure stays -1.
        }
        return values;
    }

    private static long kilobytes(String value) {
        String v = value.strip();
        if (!v.endsWith(" kB")) {
            return -1;
        }
        try {
            return Long.parseLong(v.substring(0, v.length() - 3).strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Adds the figures of {@code status} to the report. */
    static void report(Path status, BootReport report) {
        read(status).forEach((field, kb) -> report.fact(FACTS.get(field), kb));
    }
}
