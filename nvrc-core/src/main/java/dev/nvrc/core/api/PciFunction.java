package dev.nvrc.core.api;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One PCI function as sysfs describes it under {@code /sys/bus/pci/devices/<bdf>}. Immutable, and
 * so safe to share between threads.
 *
 * @param bdf the bus/device/function address, the directory's name ({@code 0000:41:00.0})
 * @param vendorId the {@code vendor} file ({@code 0x10de} for NVIDIA)
 * @param deviceId the {@code device} file
 * @param classCode the {@code class} file, 24 bits: class, subclass, programming interface
 */
public record PciFunction(String bdf, int vendorId, int deviceId, int classCode) {
    /** {@code domain:bus:device.function}, as sysfs names a function's directory. */
    private static final Pattern BDF = Pattern.compile("[0-9a-f]{4,8}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]");

    /**
     * Checks the values are what sysfs can hold.
     *
     * @param bdf the address
     * @param vendorId the vendor id
     * @param deviceId the device id
     * @param classCode the class code
     * @throws NullPointerException when {@code bdf} is null
     * @throws IllegalArgumentException when {@code bdf} is not a lower-case {@code 0000:41:00.0}
     *     address, an id is not 16 bits or the class code not 24 bits
     */
    public PciFunction {
        Objects.requireNonNull(bdf, "bdf");
        if (!BDF.matcher(bdf).matches()) {
            throw new IllegalArgumentException("not a PCI address (0000:41:00.0): " + bdf);
        }
        if ((vendorId & ~0xffff) != 0 || (deviceId & ~0xffff) != 0) {
            throw new IllegalArgumentException(String.format("vendor and device ids are 16 bits: 0x%x, 0x%x", vendorId,
                    deviceId));
        }
        if ((classCode & ~0xffffff) != 0) {
            throw new IllegalArgumentException(String.format("a class code is 24 bits: 0x%x", classCode));
        }
    }

    /** {@code 0000:41:00.0 [10de:2330 class 030200]}, as the init's messages show a function. */
    @Override
    public String toString() {
        return String.format("%s [%04x:%04x class %06x]", bdf, vendorId, deviceId, classCode);
    }
}
