package dev.nvrc.core.api;

import java.util.Objects;

/**
 * One PCI function as sysfs describes it under {@code /sys/bus/pci/devices/<bdf>}.
 *
 * @param bdf the bus/device/function address, the directory's name ({@code 0000:41:00.0})
 * @param vendorId the {@code vendor} file ({@code 0x10de} for NVIDIA)
 * @param deviceId the {@code device} file
 * @param classCode the {@code class} file, 24 bits: class, subclass, programming interface
 */
public record PciFunction(String bdf, int vendorId, int deviceId, int classCode) {
    /**
     * Checks the address is given.
     *
     * @param bdf the address
     * @param vendorId the vendor id
     * @param deviceId the device id
     * @param classCode the class code
     * @throws NullPointerException when {@code bdf} is null
     */
    public PciFunction {
        Objects.requireNonNull(bdf, "bdf");
    }

    /** {@code 0000:41:00.0 [10de:2330 class 030200]}, as the init's messages show a function. */
    @Override
    public String toString() {
        return String.format("%s [%04x:%04x class %06x]", bdf, vendorId, deviceId, classCode);
    }
}
