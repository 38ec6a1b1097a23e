package dev.nvrc.gpu.cdi;

/**
 * A GPU as the NVIDIA driver lists it.
 *
 * @param bdf the PCI address ({@code 0000:41:00.0})
 * @param uuid {@code GPU-<uuid>}
 * @param minor the minor number of its {@code /dev/nvidia<minor>}
 */
record DriverGpu(String bdf, String uuid, int minor) {
    /** The GPU's own device node. */
    String nodePath() {
        return "/dev/nvidia" + minor;
    }
}
