package dev.nvrc.core.extension;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import dev.nvrc.core.port.Command;
import dev.nvrc.core.port.MountRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code extension <name>}: opens the extension's data partition with dm-verity
 * ({@code veritysetup open}, the root hash from the measured command line) and mounts the
 * verified device as EROFS, read-only, nosuid, nodev, at {@code /run/kata-extensions/<name>}. A
 * wrong hash, a tampered partition or an unreadable superblock fails here; the step's name, in the
 * FAILED line, names the extension.
 */
public final class ExtensionMountStep implements Step {
    /** veritysetup reads the top of the hash tree; a device that hangs fails the boot. */
    static final Duration TIMEOUT = Duration.ofSeconds(120);

    private final GuestExtension extension;

    public ExtensionMountStep(GuestExtension extension) {
        this.extension = Objects.requireNonNull(extension, "extension");
    }

    @Override
    public String name() {
        return "extension " + extension.name();
    }

    MountRequest mount() {
        return new MountRequest(extension.mapperDevice(), extension.mountPoint(), GuestExtension.FILESYSTEM,
                GuestExtension.MOUNT_FLAGS, null, false);
    }

    @Override
    public PlanEntry describe() {
        return PlanEntry.run(name(), extension.verityOpenArgv())
                .with("device", "/dev/" + extension.device())
                .with("data", extension.partitions().data())
                .with("hash", extension.partitions().hash())
                .with("timeout_s", TIMEOUT.toSeconds())
                .with("mount", extension.mapperDevice() + " on " + extension.mountPoint() + " ("
                        + GuestExtension.FILESYSTEM + ", ro,nosuid,nodev)")
                .with("flags", String.format("0x%x", GuestExtension.MOUNT_FLAGS));
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        try {
            context.ports().processes().run(Command.of("veritysetup", extension.verityOpenArgv()), TIMEOUT);
        } catch (BootFailure e) {
            throw new BootFailure("dm-verity refused "
                    + extension.partitions().data() + " (veritysetup open): " + e.getMessage(), e);
        }
        try {
            Files.createDirectories(context.paths().resolve(extension.mountPoint()));
        } catch (IOException e) {
            throw new BootFailure("mkdir -p " + extension.mountPoint() + ": " + e, e);
        }
        try {
            context.ports().mounts().mount(mount());
        } catch (BootFailure e) {
            // The step's name says which extension. dm-verity opens without reading the data; a
            // block that fails verification first shows as an unreadable filesystem here.
            throw new BootFailure(e.getMessage() + "; the verified device cannot be mounted (a block that fails"
                    + " dm-verity cannot be read: see the kernel's 'device-mapper: verity' lines)", e);
        }
    }
}
