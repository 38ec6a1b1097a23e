package dev.nvrc.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Every path the init reads or writes, resolved under one root.
 *
 * <p>On a booted VM the root is {@code /}; tests and the {@code plan}/{@code cdi} commands point
 * it at a fixture tree. Paths handed to programs (argv) and written into the CDI spec are always
 * the guest view ({@link #guest}), never the resolved host path.
 */
public final class NvrcPaths {
    private final Path root;

    private NvrcPaths(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The paths of a running guest. */
    public static NvrcPaths system() {
        return new NvrcPaths(Path.of("/"));
    }

    /** The paths of a machine image or fixture mounted at {@code root}. */
    public static NvrcPaths under(Path root) {
        return new NvrcPaths(root);
    }

    /** The root everything is resolved under. */
    public Path root() {
        return root;
    }

    /** Resolves an absolute guest path ({@code /sys/bus/pci/devices}) under the root. */
    public Path resolve(String guestPath) {
        if (!guestPath.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute guest path: " + guestPath);
        }
        return root.resolve(guestPath.substring(1));
    }

    /** The guest view of a path below the root: {@code <root>/dev/nvidia0} becomes {@code /dev/nvidia0}. */
    public String guest(Path resolved) {
        Path rel = root.relativize(resolved.toAbsolutePath().normalize());
        return "/" + rel.toString().replace('\\', '/');
    }

    /** {@code /proc}. */
    public Path proc() {
        return resolve("/proc");
    }

    /** {@code /sys}. */
    public Path sys() {
        return resolve("/sys");
    }

    /** {@code /dev}. */
    public Path dev() {
        return resolve("/dev");
    }

    /** {@code /run}. */
    public Path run() {
        return resolve("/run");
    }

    /** {@code /sys/bus/pci/devices}: one directory per PCI function. */
    public Path pciDevices() {
        return resolve("/sys/bus/pci/devices");
    }

    /** {@code /sys/class/infiniband}: one directory per InfiniBand device. */
    public Path infiniband() {
        return resolve("/sys/class/infiniband");
    }

    /** {@code /proc/driver/nvidia/gpus}: the driver's per-GPU information. */
    public Path nvidiaGpus() {
        return resolve("/proc/driver/nvidia/gpus");
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
