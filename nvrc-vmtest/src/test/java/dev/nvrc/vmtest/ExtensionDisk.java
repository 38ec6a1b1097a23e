package dev.nvrc.vmtest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The gpu extension disk build-initramfs.sh makes next to the initramfs ({@code extension-gpu.img},
 * its tampered copy and {@code extension-gpu.cmdline} with the verity parameters), and the real
 * modules of the guest kernel that open it. Missing either, the scenario is skipped (failed
 * under CI=true) saying why.
 *
 * @param image the disk: partition 1 EROFS, partition 2 the dm-verity hash tree
 * @param tampered the same disk with one byte of the data partition flipped after the format
 * @param verityParams {@code kata.extension.gpu.verity_params=...}
 */
record ExtensionDisk(Path image, Path tampered, String verityParams) {
    /** What the test pre-init must load before nvrc runs (a Kata guest kernel has them built in). */
    static final String MODULES = "virtio_pci,virtio_blk,dm-verity,erofs";
    /** The serial that makes the disk the gpu extension. */
    static final String SERIAL = "extension-gpu";

    static ExtensionDisk orSkip(Vm vm) {
        Path dir = vm.config().initramfs().getParent();
        Path cmdline = dir.resolve("extension-gpu.cmdline");
        String reason = null;
        Path list = dir.resolve("guest-modules.txt");
        try {
            String modules = Files.isRegularFile(list) ? Files.readString(list, StandardCharsets.UTF_8) : "";
            if (!Files.isRegularFile(cmdline)) {
                reason = "no gpu extension disk (" + cmdline + " missing: no erofs-utils, cryptsetup-bin or fdisk"
                        + " when the initramfs was built)";
            } else if (!List.of(modules.strip().split("\\s+")).containsAll(List.of("virtio_blk", "dm-verity", "erofs"))) {
                reason = "the initramfs carries no virtio_blk, dm-verity and erofs modules of the guest kernel (" + list + ")";
            } else {
                GuestModules.orSkip(vm);  // the modules are of the kernel this VM boots, or skip
                return new ExtensionDisk(dir.resolve("extension-gpu.img"), dir.resolve("extension-gpu-tampered.img"),
                        Files.readString(cmdline, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            reason = "cannot read " + cmdline + ": " + e.getMessage();
        }
        System.out.println("extension VM scenario skipped: " + reason);
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail("CI=true, so a skipped VM test is a failure: " + reason);
        }
        Assumptions.abort(reason);
        return null;
    }

    /** QEMU's arguments for {@code disk} as the gpu extension. */
    static List<String> attach(Path disk) {
        return Vm.readOnlyDisk(disk, SERIAL);
    }
}
