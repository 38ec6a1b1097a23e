package dev.nvrc.core.topology;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Stream;

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

    /**
     * True when the PCI function in {@code functionDir} (a sysfs device directory, or a link to
     * one) is a ConnectX management function of an NVLink 5 fabric: a Mellanox physical function
     * (vendor 0x15b3, no {@code physfn} link) that is marked ({@link #is}), or whose slot (same
     * domain:bus:device, the functions beside it in its parent directory) holds a marked one. This
     * is the one rule mode detection counts by and the NVLSM port is chosen by.
     */
    public static boolean managesFabric(Path functionDir) throws BootFailure {
        if (!isMellanoxPhysicalFunction(functionDir)) {
            return false;
        }
        if (is(functionDir)) {
            return true;
        }
        Path real = realPath(functionDir);
        Path parent = real.getParent();
        String slot = slot(real);
        if (parent == null || slot == null) {
            return false;
        }
        List<Path> siblings;
        try (Stream<Path> entries = Files.list(parent)) {
            siblings = entries.filter(p -> !p.equals(real) && slot.equals(slot(p))).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new BootFailure("cannot list the functions beside " + functionDir + " in " + parent, e);
        }
        for (Path sibling : siblings) {
            if (isMellanoxPhysicalFunction(sibling) && is(sibling)) {
                return true;
            }
        }
        return false;
    }

    /** {@code 0000:41:00} of a function directory named {@code 0000:41:00.1}; null for any other name. */
    static String slot(Path function) {
        Path name = function.getFileName();
        if (name == null) {
            return null;
        }
        String bdf = name.toString();
        return bdf.matches("[0-9a-fA-F]{4}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\\.[0-7]") ? bdf.substring(0, bdf.length() - 2)
                : null;
    }

    private static Path realPath(Path functionDir) throws BootFailure {
        try {
            return functionDir.toRealPath();
        } catch (IOException e) {
            throw new BootFailure("cannot resolve the PCI function " + functionDir + ": " + IoReason.of(e), e);
        }
    }

    private static boolean isMellanoxPhysicalFunction(Path function) {
        if (Files.exists(function.resolve("physfn"), LinkOption.NOFOLLOW_LINKS)) {
            return false; // an SR-IOV virtual function
        }
        try {
            String vendor = new String(BoundedFile.read(function.resolve("vendor"), BoundedFile.KERNEL_FILE),
                    StandardCharsets.ISO_8859_1).trim();
            return vendor.equalsIgnoreCase("0x15b3");
        } catch (IOException e) {
            return false; // no vendor: not a PCI function of anybody's
        }
    }

    /** True when the PCI function in {@code functionDir} (a sysfs device directory) carries the SW_MNG mark itself. */
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
