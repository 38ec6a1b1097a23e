package dev.nvrc.testkit;

import dev.nvrc.core.NvrcPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds a machine's sysfs (and friends) under a temporary root, the way the kernel lays it out:
 * {@code sys/bus/pci/devices/<bdf>/{vendor,device,class,vpd}} with the kernel's text format
 * ({@code 0x10de\n}).
 */
public final class SysfsFixture {
    /** H100 SXM5 device id, a plausible GPU for fixtures. */
    public static final int H100 = 0x2330;
    /** An NVSwitch (third generation) device id. */
    public static final int NVSWITCH = 0x22a3;
    /** A ConnectX-7 device id. */
    public static final int CX7 = 0x1021;

    private final Path root;

    private SysfsFixture(Path root) {
        this.root = root;
    }

    /** A fixture rooted at {@code root} (usually a JUnit {@code @TempDir}). */
    public static SysfsFixture at(Path root) {
        return new SysfsFixture(root);
    }

    /** The fixture's paths. */
    public NvrcPaths paths() {
        return NvrcPaths.under(root);
    }

    /** The root directory. */
    public Path root() {
        return root;
    }

    /** Adds an NVIDIA 3D controller (class 0x030200). */
    public SysfsFixture gpu(String bdf) {
        return pci(bdf, "0x10de", String.format("0x%04x", H100), "0x030200");
    }

    /** Adds {@code count} GPUs at buses 0x01, 0x02, ... */
    public SysfsFixture gpus(int count) {
        for (int i = 0; i < count; i++) {
            gpu(String.format("0000:%02x:00.0", 0x10 + i));
        }
        return this;
    }

    /** Adds an NVIDIA NVSwitch (class 0x068000). */
    public SysfsFixture nvSwitch(String bdf) {
        return pci(bdf, "0x10de", String.format("0x%04x", NVSWITCH), "0x068000");
    }

    /** Adds {@code count} NVSwitches at buses 0x80, 0x81, ... */
    public SysfsFixture nvSwitches(int count) {
        for (int i = 0; i < count; i++) {
            nvSwitch(String.format("0000:%02x:00.0", 0x80 + i));
        }
        return this;
    }

    /** Adds a Mellanox function whose VPD contains {@code SW_MNG} (an NVLink 5 management NIC). */
    public SysfsFixture swMngNic(String bdf) {
        pci(bdf, "0x15b3", String.format("0x%04x", CX7), "0x020700");
        return file("sys/bus/pci/devices/" + bdf + "/vpd",
                "\u0082\u0010\u0000ConnectX-7 SW_MNG\u0090\u0000".getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Adds {@code count} SW_MNG NICs at buses 0xc0, 0xc1, ... */
    public SysfsFixture swMngNics(int count) {
        for (int i = 0; i < count; i++) {
            swMngNic(String.format("0000:%02x:00.0", 0xc0 + i));
        }
        return this;
    }

    /** Adds a PCI function with the given sysfs texts (written with a trailing newline). */
    public SysfsFixture pci(String bdf, String vendor, String device, String pciClass) {
        String dir = "sys/bus/pci/devices/" + bdf + "/";
        text(dir + "vendor", vendor + "\n");
        text(dir + "device", device + "\n");
        return text(dir + "class", pciClass + "\n");
    }

    /** Writes a text file at {@code relative} (to the root), creating parents. */
    public SysfsFixture text(String relative, String content) {
        return file(relative, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a file at {@code relative} (to the root), creating parents. */
    public SysfsFixture file(String relative, byte[] content) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Creates a directory at {@code relative}. */
    public SysfsFixture dir(String relative) {
        try {
            Files.createDirectories(root.resolve(relative));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
