package dev.nvrc.testkit;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.topology.PciVpd;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    /** A100 SXM4 80GB device id. */
    public static final int A100 = 0x20b2;
    /** The second-generation (A100, NVLink 3) NVSwitch device id. */
    public static final int NVSWITCH_A100 = 0x1af1;
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

    /**
     * The VPD of a ConnectX-7 as {@code lspci -vv} shows Mellanox cards: product name, part and
     * serial number, and the vendor-specific {@code VA} list, which on the NVLink 5 switch-management
     * bridge ends in {@code SMDL=SW_MNG}.
     */
    public static byte[] connectX7Vpd(boolean switchManagement) {
        String va = "MLX:MN=MLNX:CSKU=V2:UUID=V3:PCI=V0:MODL=CX75" + (switchManagement ? "0500B:SMDL=SW_MNG" : "1105A");
        return new PciVpd(switchManagement ? "NVIDIA ConnectX-7 NVLink switch management bridge"
                        : "NVIDIA ConnectX-7 HHHL adapter card, 400GbE / NDR IB, single-port OSFP",
                List.of(new PciVpd.Keyword("PN", switchManagement ? "MCX750500B-0D00" : "MCX75310AAS-NEAT"),
                        new PciVpd.Keyword("EC", "A7"),
                        new PciVpd.Keyword("SN", "MT2342X00417"),
                        new PciVpd.Keyword("V2", "MCX75310AAS-NEAT"),
                        new PciVpd.Keyword("VA", va),
                        new PciVpd.Keyword("V0", "PCIeGen5 x16"),
                        new PciVpd.Keyword("RV", "\u0000"))).toBytes();
    }

    /** Adds a Mellanox function whose VPD has {@code SMDL=SW_MNG} (an NVLink 5 management bridge). */
    public SysfsFixture swMngNic(String bdf) {
        pci(bdf, "0x15b3", String.format("0x%04x", CX7), "0x020700");
        return file("sys/bus/pci/devices/" + bdf + "/vpd", connectX7Vpd(true));
    }

    /** Adds a ConnectX-7 compute NIC (class 0x020700, VPD without the SW_MNG field). */
    public SysfsFixture computeNic(String bdf) {
        pci(bdf, "0x15b3", String.format("0x%04x", CX7), "0x020700");
        return file("sys/bus/pci/devices/" + bdf + "/vpd", connectX7Vpd(false));
    }

    /** Adds an A100 NVSwitch (second generation, NVLink 3; device 0x1af1, class 0x068000). */
    public SysfsFixture a100NvSwitch(String bdf) {
        return pci(bdf, "0x10de", String.format("0x%04x", NVSWITCH_A100), "0x068000");
    }

    /** Adds an A100 SXM4 GPU (device 0x20b2, class 0x030200). */
    public SysfsFixture a100Gpu(String bdf) {
        return pci(bdf, "0x10de", String.format("0x%04x", A100), "0x030200");
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

    /**
     * Adds the InfiniBand device {@code name} of the PCI function {@code bdf} (made with
     * {@link #swMngNic} or {@link #computeNic}) as mlx5_ib creates it: the device directory under
     * the function with a {@code device} link back to it, port 1's {@code cap_mask} and
     * {@code gids/0}, and the {@code /sys/class/infiniband/<name>} link.
     *
     * @param capMask as the kernel prints it ({@code 0xa651e848}; bit 0x400 set forbids a subnet manager)
     * @param guidGroups the last four GID groups ({@code 0002:c903:0029:7de1})
     */
    public SysfsFixture infinibandDevice(String name, String bdf, String capMask, String guidGroups) {
        String dir = "sys/bus/pci/devices/" + bdf + "/infiniband/" + name;
        text(dir + "/ports/1/cap_mask", capMask + "\n");
        text(dir + "/ports/1/link_layer", "InfiniBand\n");
        text(dir + "/ports/1/gids/0", "fe80:0000:0000:0000:" + guidGroups + "\n");
        text(dir + "/node_type", "1: CA\n");
        try {
            Files.createSymbolicLink(root.resolve(dir).resolve("device"), Path.of("../.."));
            Path classDir = Files.createDirectories(root.resolve("sys/class/infiniband"));
            Files.createSymbolicLink(classDir.resolve(name), classDir.relativize(root.resolve(dir)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
