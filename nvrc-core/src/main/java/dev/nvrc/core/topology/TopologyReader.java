package dev.nvrc.core.topology;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.api.PciFunction;
import dev.nvrc.core.api.PciTopology;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.io.Printable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Reads the PCI functions under {@code /sys/bus/pci/devices} into a {@link PciTopology}.
 *
 * <p>What counts (the roles of upstream's mode detection, kata-containers pcilibs-rs):
 * <ul>
 *   <li>a GPU is an NVIDIA function ({@code vendor} 0x10de) of class 0x0300xx (VGA) or 0x0302xx
 *       (3D controller), any device id; display "other" (0x0380xx) is not;
 *   <li>an NVSwitch is an NVIDIA function of class 0x0680xx (bridge, other), any device id;
 *   <li>a ConnectX management function is a Mellanox physical function ({@code vendor} 0x15b3, no
 *       {@code physfn} link) whose {@code vpd} has, in a {@code VA} keyword, the field
 *       {@code SMDL=SW_MNG} ({@link SwitchManagementFunction}; no IB driver needed), or any other
 *       Mellanox physical function in the same domain:bus:device slot as such a marked one.
 * </ul>
 * No count is required of any of them: the roles alone decide the mode ({@link ModeDetector}).
 *
 * <p>What is tolerated and what fails the boot. The mode, and with it everything the VM does,
 * follows from these counts, so a file that cannot be understood must not silently change them:
 * <ul>
 *   <li>No {@code /sys/bus/pci/devices} directory at all is a machine without a PCI bus (a
 *       virtio-mmio microVM): an empty topology. Only a path that truly does not exist counts: a
 *       directory that cannot be listed, a symbolic link loop, a dangling link or a file there
 *       fails, naming what happened (the mode would otherwise silently become cpu).
 *   <li>Every file is read with a bound and must be a regular file, as sysfs attributes are
 *       ({@link BoundedFile}): a FIFO or a device there fails instead of hanging the read.
 *   <li>Entries that are not directories (or dangling links) are not PCI functions and are skipped.
 *   <li>Every function's {@code vendor} must be readable and hex ({@code 0x10de}): without it
 *       nobody can tell whether the function is a GPU, so a missing or garbled vendor fails.
 *   <li>Functions of any other vendor are irrelevant: their other files are never read, so odd
 *       contents there cannot fail the boot.
 *   <li>An NVIDIA function must have a readable, hex {@code class} and {@code device}.
 *   <li>NVIDIA companion functions are ignored: a GPU's HD-audio function (class 0x04xxxx), its
 *       USB-C controller (0x0c03xx) and UCSI serial-bus function (0x0c80xx), and NVIDIA bridges
 *       other than NVSwitches (0x06xxxx, e.g. Grace root ports). Any other NVIDIA class fails the
 *       boot naming the function and its class: it is NVIDIA silicon nvrc does not know, possibly
 *       a GPU that reports a new class, and guessing would either boot without drivers for it or
 *       run GPU bring-up on something that is not a GPU. Failing says exactly what to look at.
 *   <li>A Mellanox function without a {@code vpd} file has no VPD capability and carries no mark. A {@code vpd} file that exists but cannot be read fails: an unreadable VPD would
 *       silently drop a management NIC from the count and pick a mode without the NVLink 5 fabric.
 *       So does a malformed VPD that mentions {@code SW_MNG}.
 *       For a management function, {@code class} and {@code device} must be hex like an NVIDIA
 *       function's.
 * </ul>
 */
public final class TopologyReader {
    /** NVIDIA's PCI vendor id. */
    static final int VENDOR_NVIDIA = 0x10de;
    /** Mellanox's (NVIDIA networking) PCI vendor id. */
    static final int VENDOR_MELLANOX = 0x15b3;

    private final NvrcPaths paths;

    /** A reader of the PCI devices under {@code paths}. */
    public TopologyReader(NvrcPaths paths) {
        this.paths = Objects.requireNonNull(paths, "paths");
    }

    /**
     * Reads every PCI function and keeps the GPUs, NVSwitches and ConnectX management functions,
     * each sorted by BDF.
     */
    public PciTopology read() throws BootFailure {
        List<PciFunction> gpus = new ArrayList<>();
        List<PciFunction> nvSwitches = new ArrayList<>();
        List<PciFunction> management = new ArrayList<>();
        for (Path function : functions()) {
            int vendor = readId(function.resolve("vendor"), 4);
            if (vendor == VENDOR_NVIDIA) {
                PciFunction device = device(function, vendor);
                switch (NvidiaFunctionRole.of(device.classCode())) {
                    case GPU -> gpus.add(device);
                    case NVSWITCH -> nvSwitches.add(device);
                    case COMPANION -> { }
                    case UNKNOWN -> throw new BootFailure(unknownClass(function, device));
                }
            } else if (vendor == VENDOR_MELLANOX && SwitchManagementFunction.managesFabric(function)) {
                management.add(device(function, vendor));
            }
        }
        return new PciTopology(gpus, nvSwitches, management);
    }

    private List<Path> functions() throws BootFailure {
        Path dir = paths.pciDevices();
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(dir, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(dir)) {
                throw new BootFailure(dir + " is a dangling symbolic link, so the PCI functions cannot be read", e);
            }
            return List.of(); // no PCI bus at all
        } catch (IOException e) {
            // A loop or a permission problem is not "no PCI bus": the mode would silently become cpu.
            throw new BootFailure("cannot read " + dir + ": " + IoReason.of(e), e);
        }
        if (!attributes.isDirectory()) {
            throw new BootFailure(dir + " is not a directory, so the PCI functions cannot be read");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new BootFailure("cannot list " + dir + ": " + IoReason.of(e), e);
        } catch (UncheckedIOException e) {
            throw new BootFailure("cannot list " + dir + ": " + IoReason.of(e.getCause()), e);
        }
    }

    private PciFunction device(Path function, int vendor) throws BootFailure {
        int device = readId(function.resolve("device"), 4);
        int pciClass = readId(function.resolve("class"), 6);
        try {
            return new PciFunction(function.getFileName().toString(), vendor, device, pciClass);
        } catch (IllegalArgumentException e) {
            // readId bounds the ids, so only a directory name that is no PCI address gets here:
            // not something sysfs makes, and guessing what it is would change the counts.
            throw new BootFailure(function + ": " + e.getMessage(), e);
        }
    }

    /** Reads a sysfs id file such as {@code 0x10de\n}: {@code 0x} and up to {@code digits} hex digits. */
    private static int readId(Path file, int digits) throws BootFailure {
        String text;
        try {
            // Latin-1 decodes any byte, so garbage ends up quoted in the message instead of an exception.
            text = new String(BoundedFile.read(file, BoundedFile.KERNEL_FILE), StandardCharsets.ISO_8859_1).trim();
        } catch (NoSuchFileException e) {
            throw new BootFailure(file + ": missing; every PCI function has it in sysfs", e);
        } catch (IOException e) {
            throw new BootFailure(file + ": cannot read: " + IoReason.of(e), e);
        }
        if (!text.matches("0[xX][0-9a-fA-F]{1," + digits + "}")) {
            throw new BootFailure(file + ": expected a hex number of up to " + digits
                    + " digits such as " + (digits == 4 ? "0x10de" : "0x030200") + ", found '" + Printable.escaped(text, 40) + "'");
        }
        return Integer.parseInt(text.substring(2), 16);
    }

    private static String unknownClass(Path function, PciFunction device) {
        return String.format("PCI function %s (NVIDIA device 0x%04x) has class 0x%06x, which nvrc does not know:"
                        + " not a GPU (0x03xxxx), an NVSwitch (0x0680xx) or a GPU companion function"
                        + " (audio 0x04xxxx, USB 0x0c03xx, serial bus 0x0c80xx, bridge 0x06xxxx); see %s/class",
                device.bdf(), device.deviceId(), device.classCode(), function);
    }
}
