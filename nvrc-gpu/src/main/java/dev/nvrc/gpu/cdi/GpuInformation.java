package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The driver's {@code /proc/driver/nvidia/gpus/<bdf>/information} file: {@code Key: value} lines
 * with tabs and spaces around the value ({@code GPU UUID: \t GPU-4cf8...}, {@code Device Minor:
 * \t 0}, {@code GPU Excluded:\t No}).
 */
final class GpuInformation {
    static final String UUID = "GPU UUID";
    static final String MINOR = "Device Minor";
    static final String BUS_LOCATION = "Bus Location";
    static final String EXCLUDED = "GPU Excluded";

    /** The highest minor of a GPU node; 255 is {@code /dev/nvidiactl}. */
    static final int MAX_MINOR = 254;


    private final Map<String, String> fields;
    private final String file;

    private GpuInformation(Map<String, String> fields, String file) {
        this.fields = fields;
        this.file = file;
    }

    /** Parses the text of {@code file} (a guest path, for messages). */
    static GpuInformation parse(String text, String file) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                fields.putIfAbsent(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
            }
        }
        return new GpuInformation(fields, file);
    }

    /** The GPU's UUID ({@code GPU-<8-4-4-4-12 hex>}). */
    String uuid() throws BootFailure {
        String value = require(UUID);
        if (!isGpuUuid(value)) {
            throw new BootFailure(file + ": '" + UUID + "' is '" + value
                    + "', expected GPU- and a UUID (GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c)");
        }
        return value;
    }

    /** The minor number of the GPU's {@code /dev/nvidia<minor>}. */
    int minor() throws BootFailure {
        String value = require(MINOR);
        if (!value.isEmpty() && value.length() <= 3 && digits(value)) {
            int minor = Integer.parseInt(value);
            if (minor <= MAX_MINOR) {
                return minor;
            }
        }
        throw new BootFailure(file + ": '" + MINOR + "' is '" + value + "', expected a number from 0 to " + MAX_MINOR);
    }

    /** The PCI address the driver states, if it states one. */
    Optional<String> busLocation() {
        String value = fields.get(BUS_LOCATION);
        return value == null ? Optional.empty() : Optional.of(value.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code GPU-} and a UUID in 8-4-4-4-12 hex digits. Checked by hand, not with a regular
     * expression: once per GPU in a fresh JVM, where the regex engine would run interpreted.
     */
    static boolean isGpuUuid(String value) {
        if (value.length() != 40 || !value.startsWith("GPU-")) {
            return false;
        }
        for (int i = 4; i < 40; i++) {
            char c = value.charAt(i);
            boolean dash = i == 12 || i == 17 || i == 22 || i == 27;
            if (dash ? c != '-' : Character.digit(c, 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean digits(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** True when the driver excluded the GPU from use ({@code GPU Excluded: Yes}). */
    boolean excluded() {
        return "yes".equalsIgnoreCase(fields.getOrDefault(EXCLUDED, "No"));
    }

    private String require(String key) throws BootFailure {
        String value = fields.get(key);
        if (value == null) {
            throw new BootFailure(file + ": no '" + key + ":' line (keys present: " + fields.keySet() + ")");
        }
        return value;
    }
}
