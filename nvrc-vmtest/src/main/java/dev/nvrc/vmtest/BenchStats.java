package dev.nvrc.vmtest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The boot benchmark's arithmetic on figures as the raw rows hold them: decimal strings, {@code NA}
 * for a figure a boot did not give. Medians keep a value as it was written (an odd count picks one
 * figure; an even one averages two, to three decimals), so the report shows what the rows say.
 */
public final class BenchStats {
    /** What a missing figure reads as, in the rows and in the report. */
    public static final String NA = "NA";

    private BenchStats() {}

    /** Whether {@code v} is a figure (not {@code NA}, not empty). */
    public static boolean known(String v) {
        return v != null && !v.isEmpty() && !v.equals(NA);
    }

    /**
     * The median of the known figures of {@code values}, {@code NA} when there is none: the middle
     * one as written for an odd count, the mean of the two middle ones to three decimals for an even
     * count.
     */
    public static String median(List<String> values) {
        List<String> known = values.stream().filter(BenchStats::known).sorted(Comparator.comparing(BigDecimal::new)).toList();
        int n = known.size();
        if (n == 0) {
            return NA;
        }
        if (n % 2 == 1) {
            return known.get(n / 2);
        }
        BigDecimal sum = new BigDecimal(known.get(n / 2 - 1)).add(new BigDecimal(known.get(n / 2)));
        return sum.divide(BigDecimal.valueOf(2)).setScale(3, RoundingMode.HALF_UP).toPlainString();
    }

    /** {@code a / b} to two decimals; {@code NA} when either is unknown or {@code b} is zero. */
    public static String ratio(String a, String b) {
        if (!known(a) || !known(b) || Double.parseDouble(b) == 0) {
            return NA;
        }
        return String.format(Locale.ROOT, "%.2f", Double.parseDouble(a) / Double.parseDouble(b));
    }

    /**
     * A target's verdict: {@code met (v unit)} when {@code v <= limit}, {@code **not met** (v unit)}
     * otherwise, {@code not measured} when {@code v} is unknown.
     */
    public static String verdict(String v, double limit, String unit) {
        if (!known(v)) {
            return "not measured";
        }
        return (Double.parseDouble(v) <= limit ? "met" : "**not met**") + " (" + v + unit + ")";
    }

    /** The largest known figure of {@code values}, as written; {@code NA} when there is none. */
    public static String max(List<String> values) {
        return values.stream().filter(BenchStats::known).max(Comparator.comparing(BigDecimal::new)).orElse(NA);
    }

    /** {@code (a - b) / n} to one decimal (a cost per item); {@code NA} when either is unknown. */
    public static String perItem(String a, String b, int n) {
        if (!known(a) || !known(b)) {
            return NA;
        }
        return String.format(Locale.ROOT, "%.1f", (Double.parseDouble(a) - Double.parseDouble(b)) / n);
    }
}
