package dev.nvrc.core.topology;

import dev.nvrc.core.NvrcPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A minimal sysfs PCI tree for core's own tests (core cannot use the testkit, which depends on
 * it). Files are written the way the kernel prints them: {@code 0x10de\n}.
 */
final class PciTree {
    private final Path root;

    PciTree(Path root) {
        this.root = root;
    }

    NvrcPaths paths() {
        return NvrcPaths.under(root);
    }

    Path function(String bdf) {
        return root.resolve("sys/bus/pci/devices").resolve(bdf);
    }

    PciTree device(String bdf, String vendor, String device, String pciClass) {
        write(bdf, "vendor", vendor + "\n");
        write(bdf, "device", device + "\n");
        return write(bdf, "class", pciClass + "\n");
    }

    PciTree gpus(int count) {
        for (int i = 0; i < count; i++) {
            device(String.format("0000:%02x:00.0", 0x10 + i), "0x10de", "0x2330", "0x030200");
        }
        return this;
    }

    PciTree nvSwitches(int count) {
        for (int i = 0; i < count; i++) {
            device(String.format("0000:%02x:00.0", 0x80 + i), "0x10de", "0x22a3", "0x068000");
        }
        return this;
    }

    PciTree swMngNics(int count) {
        for (int i = 0; i < count; i++) {
            String bdf = String.format("0000:%02x:00.0", 0xc0 + i);
            device(bdf, "0x15b3", "0x1021", "0x020700");
            write(bdf, "vpd", new PciVpd("CX7 bridge", java.util.List.of(new PciVpd.Keyword("VA",
                    "MLX:MN=MLNX:MODL=CX750500B:SMDL=SW_MNG"))).toBytes());
        }
        return this;
    }

    PciTree write(String bdf, String file, String content) {
        return write(bdf, file, content.getBytes(StandardCharsets.ISO_8859_1));
    }

    PciTree write(String bdf, String file, byte[] content) {
        try {
            Path p = function(bdf).resolve(file);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PciTree delete(String bdf, String file) {
        try {
            Files.delete(function(bdf).resolve(file));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
