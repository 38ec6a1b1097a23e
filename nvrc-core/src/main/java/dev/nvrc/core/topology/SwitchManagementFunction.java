package dev.nvrc.core.topology;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a PCI function is an NVLink 5 switch-management bridge, read from its sysfs {@code vpd}
 * ({@link PciVpd#isSwitchManagement()}). Mode detection counts these functions and the NVLSM
 * port is chosen among their InfiniBand devices, both through this one rule.
 *
 * <ul>
 *   <li>No {@code vpd} file: the function has no VPD capability, so it is not one.
 *   <li>A {@code vpd} that cannot be read fails: it could be one, and guessing "no" would boot
 *       without the fabric or let NVLSM manage a compute NIC.
 *   <li>A {@code vpd} that does not parse is not one when the text {@code SW_MNG} appears nowhere
 *       in its bytes (compute NICs with odd VPD keep booting); when it does appear the function
 *       is ambiguous and that fails naming the file.
 * </ul>
 */
public final class SwitchManagementFunction {
    private SwitchManagementFunction() {}

    /** True when the PCI function in {@code functionDir} (a sysfs device directory) is a SW_MNG bridge. */
    public static boolean is(Path functionDir) throws BootFailure {
        Path vpd = functionDir.resolve("vpd");
        if (!Files.exists(vpd)) {
            return false;
        }
        byte[] bytes;
        try {
            bytes = BoundedFile.read(vpd, BoundedFile.KERNEL_FILE);
        } catch (IOException e) {
            throw new BootFailure(vpd + ": cannot read the VPD of a Mellanox function, so cannot tell"
                    + " whether it is an NVLink 5 SW_MNG bridge: " + IoReason.of(e), e);
        }
        try {
            return PciVpd.parse(bytes).isSwitchManagement();
        } catch (PciVpd.MalformedVpdException e) {
            if (!new String(bytes, StandardCharsets.ISO_8859_1).contains("SW_MNG")) {
                return false;
            }
            throw new BootFailure(vpd + ": malformed VPD (" + e.getMessage() + ") that mentions SW_MNG: cannot tell"
                    + " whether this function is the NVLink 5 switch-management bridge", e);
        }
    }
}
