package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.util.regex.Pattern;

/**
 * The version of the loaded NVIDIA kernel module, from {@code /proc/driver/nvidia/version}.
 *
 * <p>The line looks like {@code NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.172.08  <date>}
 * for the proprietary module and {@code NVRM version: NVIDIA UNIX Open Kernel Module for x86_64
 * 570.172.08  Release Build ...} for the open one; the version is the first word that is made of
 * numbers and dots.
 */
final class DriverVersion {
    /** The version file, as a guest path. */
    static final String FILE = "/proc/driver/nvidia/version";

    /** {@code 570.172.08}, {@code 535.54.03}, {@code 390.87}. */
    static final Pattern SHAPE = Pattern.compile("\\d+\\.\\d+(?:\\.\\d+)?");

    private static final String NVRM = "NVRM version:";

    private DriverVersion() {
    }

    /** Reads the loaded driver's version. */
    static String read(NvrcPaths paths) throws BootFailure {
        String text = KernelMadeFiles.readText(paths.resolve(FILE), FILE, "the driver version (is the nvidia module loaded?)");
        return parse(text);
    }

    /** The version in the text of the version file. */
    static String parse(String text) throws BootFailure {
        for (String line : text.split("\n", -1)) {
            String trimmed = line.strip();
            if (!trimmed.startsWith(NVRM)) {
                continue;
            }
            for (String word : trimmed.substring(NVRM.length()).trim().split("\\s+")) {
                if (SHAPE.matcher(word).matches()) {
                    return word;
                }
            }
            throw new BootFailure(FILE + ": no version number in '" + trimmed
                    + "' (expected e.g. 'NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.172.08  ...')");
        }
        throw new BootFailure(FILE + ": no 'NVRM version:' line (expected e.g. "
                + "'NVRM version: NVIDIA UNIX x86_64 Kernel Module  570.172.08  ...')");
    }
}
