package dev.nvrc.core.topology;

import java.util.Objects;

/**
 * One PCI function as sysfs describes it.
 *
 * @param bdf the bus/device/function address, the directory name ({@code 0000:41:00.0})
 * @param vendorId the {@code vendor} file ({@code 0x10de})
 * @param deviceId the {@code device} file
 * @param classCode the {@code class} file (24 bits: class, subclass, prog-if)
 */
public record PciDevice(String bdf, int vendorId, int deviceId, int classCode) implements Comparable<PciDevice> {
    /** NVIDIA. */
    public static final int VENDOR_NVIDIA = 0x10de;
    /** Mellanox (NVIDIA networking). */
    public static final int VENDOR_MELLANOX = 0x15b3;

    public PciDevice {
        Objects.requireNonNull(bdf, "bdf");
    }

    @Override
    public int compareTo(PciDevice other) {
        return bdf.compareTo(other.bdf);
    }

    @Override
    public String toString() {
        return String.format("%s [%04x:%04x class %06x]", bdf, vendorId, deviceId, classCode);
    }
}
