package dev.nvrc.examples;

import dev.nvrc.core.api.ModeDecision;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.api.Settings;
import dev.nvrc.gpu.api.NvidiaCdiSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * The three examples of docs/library.md, as code the build compiles and runs: each method between
 * an {@code // example: NAME} and an {@code // end example} line is, without its indentation, a
 * {@code java} block of that page (LibraryDocTest holds them equal; LibraryExamplesTest runs them
 * against fixture trees). This package is outside nvrc's own, and this file may import only
 * {@code api} packages and the JDK, so the examples use nothing a library user could not.
 */
public final class LibraryExamples {
    private LibraryExamples() {
    }

    // example: parse
    /** The GPU clocks a kernel command line locks, or every problem nvrc finds in it. */
    public static String lockedClocks(String commandLine) {
        try {
            Settings settings = Settings.parse(commandLine);
            return settings.lockedGpuClocks().isPresent()
                    ? settings.lockedGpuClocks().getAsInt() + " MHz"
                    : "not locked";
        } catch (NvrcException e) {
            return String.join("\n", e.problems()); // "token: why", one per problem
        }
    }
    // end example

    // example: detect
    /** The mode nvrc would run on the machine or image tree at root for a command line. */
    public static String modeOf(Path root, String commandLine) throws NvrcException {
        PciTopology topology = PciTopology.read(root); // root/sys/bus/pci/devices
        ModeDecision mode = ModeDecision.decide(Settings.parse(commandLine), topology);
        return mode.mode() + " (" + topology.summary() + "; fabric " + mode.nvlink().canonical() + ")";
    }
    // end example

    // example: cdi
    /** Writes the CDI spec of the GPUs under root where that machine's container runtime reads it. */
    public static List<String> writeCdiSpec(Path root) throws NvrcException {
        NvidiaCdiSpec spec = NvidiaCdiSpec.generate(root); // the Kata gpu extension, if root has one
        spec.write(root.resolve("var/run/cdi/nvidia.json")); // atomically, mode 0644
        return spec.deviceNames(); // [0, GPU-<uuid>, 1, GPU-<uuid>, ..., all]
    }
    // end example
}
