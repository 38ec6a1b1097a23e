package dev.nvrc.fabric;

import dev.nvrc.testkit.SysfsFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * InfiniBand devices in a fixture tree, laid out as the kernel does: the real directory under
 * {@code sys/devices/pci.../infiniband/<name>} and a symlink {@code sys/class/infiniband/<name>}
 * to it, with {@code ports/1/cap_mask} ({@code 0x%08x\n}) and {@code ports/1/gids/0}.
 */
final class InfinibandFixture {
    /** A ConnectX port that allows a subnet manager (IsSMDisabled clear). */
    static final String SM_ALLOWED = "0xa651e848";
    /** The same with IsSMDisabled (0x400) set. */
    static final String SM_DISABLED = "0xa651ec48";

    private final SysfsFixture sysfs;
    private int bus = 0xc0;

    private InfinibandFixture(SysfsFixture sysfs) {
        this.sysfs = sysfs;
    }

    static InfinibandFixture in(SysfsFixture sysfs) {
        return new InfinibandFixture(sysfs);
    }

    /** The GID of port 1 for a GUID written as 4 groups ({@code 0002:c903:0029:7de1}). */
    static String gid(String guidGroups) {
        return "fe80:0000:0000:0000:" + guidGroups + "\n";
    }

    /**
     * A device of a SW_MNG bridge function whose port 1 has {@code capMask} and {@code gid} (texts
     * written as given, plus newline).
     */
    InfinibandFixture device(String name, String capMask, String gid) {
        return device(name, capMask, gid, true);
    }

    /** A device of a ConnectX-7 compute NIC (its VPD has no SW_MNG field). */
    InfinibandFixture computeNic(String name, String capMask, String gid) {
        return device(name, capMask, gid, false);
    }

    private InfinibandFixture device(String name, String capMask, String gid, boolean swMng) {
        String real = realDir(name, swMng);
        sysfs.text(real + "/ports/1/cap_mask", capMask + "\n");
        sysfs.text(real + "/ports/1/link_layer", "InfiniBand\n");
        sysfs.text(real + "/ports/1/gids/0", gid);
        sysfs.text(real + "/node_type", "1: CA\n");
        return link(name, real);
    }

    /** A SW_MNG bridge device with no port 1 at all. */
    InfinibandFixture deviceWithoutPort(String name) {
        String real = realDir(name, true);
        sysfs.text(real + "/node_type", "1: CA\n");
        return link(name, real);
    }

    /** The PCI address the next device's function gets. */
    String nextBdf() {
        return String.format("0000:%02x:00.0", bus);
    }

    /** An empty {@code /sys/class/infiniband} (mlx5_ib loaded, no device). */
    InfinibandFixture emptyClass() {
        sysfs.dir("sys/class/infiniband");
        return this;
    }

    /**
     * The device's directory under its PCI function, which gets the function's files ({@code vpd})
     * and the {@code device} link back to it, as the kernel lays them out.
     */
    private String realDir(String name, boolean swMng) {
        String function = String.format("sys/devices/pci0000:00/0000:00:01.0/0000:%02x:00.0", bus++);
        sysfs.text(function + "/vendor", "0x15b3\n");
        sysfs.file(function + "/vpd", SysfsFixture.connectX7Vpd(swMng));
        String real = function + "/infiniband/" + name;
        sysfs.dir(real);
        try {
            Files.createSymbolicLink(sysfs.root().resolve(real).resolve("device"), Path.of("../.."));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return real;
    }

    private InfinibandFixture link(String name, String real) {
        try {
            Path classDir = sysfs.root().resolve("sys/class/infiniband");
            Files.createDirectories(classDir);
            Files.createSymbolicLink(classDir.resolve(name), classDir.relativize(sysfs.root().resolve(real)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
