package dev.nvrc.gpu.cdi;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.testkit.SysfsFixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A guest as the CDI generator sees it, built under a temporary root: the driver's
 * {@code /proc/driver/nvidia} files, the GPUs' sysfs entries, device nodes (real character
 * devices, made with {@code mknod}: 0:0 by default, which Linux lets any user make, or given
 * numbers as root) and the driver's user-space files.
 */
final class CdiFixture {
    static final String VERSION = "570.172.08";
    static final String LIB_DIR = "/usr/lib/x86_64-linux-gnu";

    /** The five libraries of the shared examples. */
    static final List<String> EXAMPLE_LIBRARIES = List.of(
            "libcuda", "libcudadebugger", "libnvidia-ml", "libnvidia-nvvm", "libnvidia-ptxjitcompiler");

    /** What a full 570 driver install puts in the library directory with the driver's version. */
    static final List<String> FULL_LIBRARIES = List.of(
            "libEGL_nvidia", "libGLESv1_CM_nvidia", "libGLESv2_nvidia", "libGLX_nvidia", "libcuda",
            "libcudadebugger", "libnvcuvid", "libnvidia-allocator", "libnvidia-cfg", "libnvidia-eglcore",
            "libnvidia-encode", "libnvidia-fbc", "libnvidia-glcore", "libnvidia-glsi", "libnvidia-glvkspirv",
            "libnvidia-gpucomp", "libnvidia-ml", "libnvidia-ngx", "libnvidia-nvvm", "libnvidia-opencl",
            "libnvidia-opticalflow", "libnvidia-pkcs11", "libnvidia-pkcs11-openssl3", "libnvidia-ptxjitcompiler",
            "libnvidia-rtcore", "libnvidia-sandboxutils", "libnvidia-tls", "libnvidia-wayland-client", "libnvoptix");

    private final SysfsFixture fx;
    private final List<String> nodes = new ArrayList<>();
    private final List<String> nodeNumbers = new ArrayList<>();
    private String driverRoot = "";
    private String devRoot = "";

    private CdiFixture(Path root) {
        this.fx = SysfsFixture.at(root);
    }

    /**
     * Skips a test whose expected bytes are those of nodes of group 0: the spec writes a node's
     * group when it is not 0, and a node made by another user has that user's group.
     */
    static void assumeNodesOfGroupRoot() {
        try {
            Object gid = Files.getAttribute(Path.of("/proc/self"), "unix:gid");
            org.junit.jupiter.api.Assumptions.assumeTrue(Integer.valueOf(0).equals(gid),
                    "the expected spec has nodes of group 0, which only root makes (this process's group is " + gid + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static CdiFixture at(Path root) {
        return new CdiFixture(root);
    }

    Path root() {
        return fx.root();
    }

    NvrcPaths paths() {
        return fx.paths();
    }

    /** Later driver files go under this guest directory ({@code /} by default). */
    CdiFixture driverRoot(String guestDir) {
        driverRoot = guestDir.equals("/") ? "" : guestDir;
        return this;
    }

    /** Later device nodes go under this guest directory ({@code /} by default). */
    CdiFixture devRoot(String guestDir) {
        devRoot = guestDir.equals("/") ? "" : guestDir;
        return this;
    }

    /** {@code /proc/driver/nvidia/version} of the proprietary module. */
    CdiFixture driverVersion(String version) {
        return text("/proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  " + version
                + "  Sat Jun 21 09:58:23 UTC 2025\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14+deb12u1) \n");
    }

    /** A GPU: the driver's directory with its information file, its PCI entry and its node. */
    CdiFixture gpu(String bdf, String uuid, int minor) {
        driverOnlyGpu(bdf, uuid, minor);
        fx.gpu(bdf);
        return node("/dev/nvidia" + minor);
    }

    /** Only the driver's view of a GPU (no sysfs entry, no node). */
    CdiFixture driverOnlyGpu(String bdf, String uuid, int minor) {
        return text("/proc/driver/nvidia/gpus/" + bdf + "/information", information(bdf, uuid, Integer.toString(minor)));
    }

    /** The driver's information file, in its real layout. */
    static String information(String bdf, String uuid, String minor) {
        return "Model: \t\t NVIDIA H100 80GB HBM3\n"
                + "IRQ:   \t\t 150\n"
                + "GPU UUID: \t " + uuid + "\n"
                + "Video BIOS: \t 96.00.74.00.01\n"
                + "Bus Type: \t PCIe\n"
                + "DMA Size: \t 52 bits\n"
                + "DMA Mask: \t 0xfffffffffffff\n"
                + "Bus Location: \t " + bdf + "\n"
                + "Device Minor: \t " + minor + "\n"
                + "GPU Excluded:\t No\n";
    }

    /** nvidia-drm nodes of a GPU: sysfs {@code drm/cardN}, {@code drm/renderDM} and the /dev/dri nodes. */
    CdiFixture dri(String bdf, int card, int render) {
        fx.dir("sys/bus/pci/devices/" + bdf + "/drm/card" + card);
        fx.dir("sys/bus/pci/devices/" + bdf + "/drm/renderD" + render);
        node("/dev/dri/card" + card);
        return node("/dev/dri/renderD" + render);
    }

    /** A character device node at {@code guestPath} under the dev root (0:0). */
    CdiFixture node(String guestPath) {
        return node(guestPath, "0 0");
    }

    /** A character device node with {@code "major minor"} (other than 0 0 needs root), mode 0666. */
    CdiFixture node(String guestPath, String majorMinor) {
        return node(guestPath, majorMinor, "0666", "-");
    }

    /**
     * A character device node with {@code "major minor"}, permission bits {@code mode} (octal
     * text) and group {@code gid} ({@code "-"}: the creator's; another group needs root).
     */
    CdiFixture node(String guestPath, String majorMinor, String mode, String gid) {
        nodes.add(devRoot + guestPath);
        nodeNumbers.add(majorMinor + " " + mode + " " + gid);
        return this;
    }

    /** The shared nodes the examples have. */
    CdiFixture commonNodes() {
        return node("/dev/nvidiactl").node("/dev/nvidia-uvm").node("/dev/nvidia-uvm-tools").node("/dev/nvidia-modeset");
    }

    /** {@code lib<name>.so.<version>} for each name, in the library directory under the driver root. */
    CdiFixture libraries(String version, List<String> names) {
        for (String name : names) {
            driverFile(LIB_DIR + "/" + name + ".so." + version, name + " " + version);
        }
        return this;
    }

    /** An executable program under the driver root. */
    CdiFixture program(String guestPath) {
        driverFile(guestPath, "#!/bin/sh\nexit 0\n");
        return executable(driverRoot + guestPath);
    }

    /** The toolkit release of the fixtures' nvidia-cdi-hook unless a test says otherwise. */
    static final String HOOK_RELEASE = "1.20.0";

    /** The nvidia-cdi-hook program of {@link #HOOK_RELEASE} at its usual place under the driver root. */
    CdiFixture cdiHook() {
        return cdiHook("/usr/bin/nvidia-cdi-hook", FakeCdiHook.release(HOOK_RELEASE));
    }

    /** An nvidia-cdi-hook program with these bytes ({@link FakeCdiHook}) at a guest path under the driver root. */
    CdiFixture cdiHook(String guestPath, byte[] program) {
        Path file = resolve(driverRoot + guestPath);
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, program);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return executable(driverRoot + guestPath);
    }

    /** A plain file under the driver root. */
    CdiFixture driverFile(String guestPath, String content) {
        return text(driverRoot + guestPath, content);
    }

    /** A listening-socket file (the daemon has since gone, the file stays) under the driver root. */
    CdiFixture socket(String guestPath) {
        Path file = resolve(driverRoot + guestPath);
        try {
            Files.createDirectories(file.getParent());
            try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.bind(UnixDomainSocketAddress.of(file));
            }
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text file at a guest path. */
    CdiFixture text(String guestPath, String content) {
        fx.text(guestPath.substring(1), content);
        return this;
    }

    /** A directory at a guest path. */
    CdiFixture dir(String guestPath) {
        fx.dir(guestPath.substring(1));
        return this;
    }

    /** Marks a file executable. */
    CdiFixture executable(String guestPath) {
        try {
            Files.setPosixFilePermissions(resolve(guestPath), PosixFilePermissions.fromString("rwxr-xr-x"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path resolve(String guestPath) {
        return fx.paths().resolve(guestPath);
    }

    /**
     * The minor the driver gives a MIG capability: {@code config} 1, {@code monitor} 2, then per
     * GPU (device minor) 15 GPU instances of 9 minors each, the instance's {@code access} and its
     * 8 compute instances ({@code ci} -1 for the GPU instance itself).
     */
    static int migMinor(int gpu, int gi, int ci) {
        return 3 + gpu * 135 + gi * 9 + (ci + 1);
    }

    /** The driver's {@code /proc/driver/nvidia-caps/mig-minors}, every line of it (32 GPUs). */
    CdiFixture migMinors() {
        StringBuilder sb = new StringBuilder("config 1\nmonitor 2\n");
        for (int gpu = 0; gpu < 32; gpu++) {
            for (int gi = 0; gi < 15; gi++) {
                sb.append("gpu").append(gpu).append("/gi").append(gi).append("/access ")
                        .append(migMinor(gpu, gi, -1)).append('\n');
                for (int ci = 0; ci < 8; ci++) {
                    sb.append("gpu").append(gpu).append("/gi").append(gi).append("/ci").append(ci).append("/access ")
                            .append(migMinor(gpu, gi, ci)).append('\n');
                }
            }
        }
        return text(MigMinors.FILE, sb.toString());
    }

    /** A capability's procfs file as the driver writes it (minor, mode 0444 = 292, modify). */
    CdiFixture migCapability(String guestPath, int minor) {
        return text(guestPath, "DeviceFileMinor: " + minor + "\nDeviceFileMode: 292\nDeviceFileModify: 1\n");
    }

    /** Makes the device nodes not made yet (one process for all) and returns the fixture's paths. */
    NvrcPaths build() {
        if (!nodes.isEmpty()) {
            List<String> argv = new ArrayList<>(List.of("sh", "-c",
                    "while [ $# -gt 0 ]; do mkdir -p \"$(dirname \"$1\")\" && { [ -c \"$1\" ] || mknod \"$1\" c $2 $3; }"
                            + " && chmod $4 \"$1\" && { [ \"$5\" = - ] || chgrp $5 \"$1\"; } || exit 1; shift 5; done",
                    "sh"));
            for (int i = 0; i < nodes.size(); i++) {
                argv.add(resolve(nodes.get(i)).toString());
                argv.addAll(List.of(nodeNumbers.get(i).split(" ")));
            }
            run(argv);
            nodes.clear();
            nodeNumbers.clear();
        }
        return paths();
    }

    private static void run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("making fixture device nodes failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Fixtures shared by the tests. */
    static final class Machines {
        static final String UUID_0 = "GPU-4cf8db2d-06c0-7d70-1a51-e59b25b2c16c";
        static final String UUID_1 = "GPU-9e5f3a10-7b2c-4d8e-a1f6-0c3b5d7e9f21";

        /** The 8 GPUs of an HGX H100 board (PCI address, card, render node). */
        static final List<String> HGX_BDFS = List.of(
                "0000:18:00.0", "0000:2a:00.0", "0000:3a:00.0", "0000:5d:00.0",
                "0000:9a:00.0", "0000:ab:00.0", "0000:ba:00.0", "0000:db:00.0");

        private Machines() {
        }

        /** The host of examples/nvidia-2gpu.json (unbuilt: add more, then build()). */
        static CdiFixture twoGpuExample(Path root) {
            CdiFixture f = at(root).driverVersion(VERSION)
                    .gpu("0000:41:00.0", UUID_0, 0).dri("0000:41:00.0", 1, 128)
                    .gpu("0000:c1:00.0", UUID_1, 1).dri("0000:c1:00.0", 2, 129)
                    .commonNodes()
                    .libraries(VERSION, EXAMPLE_LIBRARIES)
                    .socket("/run/nvidia-persistenced/socket")
                    .program("/usr/bin/nvidia-smi").program("/usr/bin/nvidia-persistenced")
                    .program("/usr/bin/nvidia-debugdump")
                    .driverFile("/lib/firmware/nvidia/" + VERSION + "/gsp_ga10x.bin", "fw")
                    .driverFile("/lib/firmware/nvidia/" + VERSION + "/gsp_tu10x.bin", "fw")
                    .cdiHook();
            return f;
        }

        /** The guest of examples/nvidia-2gpu-kata-extension.json. */
        static CdiFixture kataExtensionExample(Path root) {
            String ext = dev.nvrc.core.GuestLayout.GPU_EXTENSION;
            return at(root).driverVersion(VERSION)
                    .gpu("0000:41:00.0", UUID_0, 0)
                    .gpu("0000:c1:00.0", UUID_1, 1)
                    .node("/dev/nvidiactl").node("/dev/nvidia-uvm").node("/dev/nvidia-uvm-tools")
                    // The daemon runs from the extension but its socket is in the guest's /run.
                    .socket("/run/nvidia-persistenced/socket")
                    .driverRoot(ext)
                    .libraries(VERSION, EXAMPLE_LIBRARIES)
                    .program("/bin/nvidia-smi").program("/bin/nvidia-persistenced")
                    .cdiHook("/bin/nvidia-cdi-hook", FakeCdiHook.release(HOOK_RELEASE)).program("/bin/nvidia-ctk");
        }

        /** A single GPU without nvidia-drm and without nvidia-cdi-hook: the smallest spec. */
        static CdiFixture oneGpuNoHooks(Path root) {
            return at(root).driverVersion(VERSION)
                    .gpu("0000:41:00.0", UUID_0, 0)
                    .node("/dev/nvidiactl").node("/dev/nvidia-uvm")
                    .libraries(VERSION, List.of("libcuda", "libnvidia-ml", "libnvidia-ptxjitcompiler"))
                    .program("/usr/bin/nvidia-smi");
        }

        /**
         * An HGX board: 8 GPUs with DRM nodes, every shared node, MIG capability nodes, a full
         * driver install (with libraries of other packages beside it, the legacy NVVM and the
         * VDPAU driver), both daemon sockets, the MPS pipe directory, every program and the GSP
         * firmware.
         */
        static CdiFixture hgx(Path root) {
            CdiFixture f = at(root).driverVersion(VERSION);
            for (int i = 0; i < HGX_BDFS.size(); i++) {
                String bdf = HGX_BDFS.get(i);
                f.gpu(bdf, String.format("GPU-%08x-1111-2222-3333-%012x", 0xa0b0c0d0L + i, 0x10de2330L * (i + 1)), i)
                        .dri(bdf, i + 1, 128 + i);
            }
            f.commonNodes().node("/dev/nvidia-caps/nvidia-cap1").node("/dev/nvidia-caps/nvidia-cap2")
                    .libraries(VERSION, FULL_LIBRARIES)
                    .driverFile(LIB_DIR + "/libnvidia-egl-wayland.so.1.1.17", "other package")
                    .driverFile(LIB_DIR + "/libnvidia-egl-gbm.so.1.1.2", "other package")
                    .driverFile(LIB_DIR + "/libc.so.6", "libc")
                    .driverFile(LIB_DIR + "/libnvidia-ml.so.1", "soname link (a file here)")
                    .driverFile(LIB_DIR + "/libnvidia-nvvm70.so.4", "legacy NVVM")
                    .driverFile(LIB_DIR + "/vdpau/libvdpau_nvidia.so." + VERSION, "VDPAU")
                    .dir("/tmp/nvidia-mps")
                    .socket("/run/nvidia-persistenced/socket")
                    .socket("/run/nvidia-fabricmanager/socket");
            for (String program : DriverFiles.PROGRAMS) {
                f.program("/usr/bin/" + program);
            }
            return f.driverFile("/lib/firmware/nvidia/" + VERSION + "/gsp_ga10x.bin", "fw")
                    .driverFile("/lib/firmware/nvidia/" + VERSION + "/gsp_tu10x.bin", "fw")
                    .cdiHook();
        }

        /** The GPU of {@link #hgxWithMig} in MIG mode: index and device minor 2. */
        static final int MIG_GPU = 2;

        /**
         * The HGX board of {@link #hgx} with GPU 2 in MIG mode and two 3g.40gb instances (GPU
         * instances 1 and 2, each with compute instance 0), as the driver shows them once
         * {@code nvidia-smi mig -cgi 9,9 -C} has run: the capability tree in procfs, the driver's
         * full {@code mig-minors} and the capability nodes nvidia-smi made (config, monitor and the
         * four instance capabilities).
         */
        static CdiFixture hgxWithMig(Path root) {
            CdiFixture f = hgx(root).migMinors();
            f.migCapability("/proc/driver/nvidia/capabilities/mig/config", 1)
                    .migCapability("/proc/driver/nvidia/capabilities/mig/monitor", 2);
            for (int gpu = 0; gpu < HGX_BDFS.size(); gpu++) {
                f.dir("/proc/driver/nvidia/capabilities/gpu" + gpu + "/mig");
            }
            for (int gi : new int[] {1, 2}) {
                String giDir = "/proc/driver/nvidia/capabilities/gpu" + MIG_GPU + "/mig/gi" + gi;
                f.migCapability(giDir + "/access", migMinor(MIG_GPU, gi, -1))
                        .migCapability(giDir + "/ci0/access", migMinor(MIG_GPU, gi, 0))
                        .node(MigMinors.nodePath(migMinor(MIG_GPU, gi, -1)))
                        .node(MigMinors.nodePath(migMinor(MIG_GPU, gi, 0)));
            }
            return f;
        }

        /** Adds {@code count} unrelated libraries to the library directory (a real one has hundreds). */
        static CdiFixture withUnrelatedLibraries(CdiFixture f, int count) {
            for (int i = 0; i < count; i++) {
                f.driverFile(LIB_DIR + "/libother" + i + ".so." + (i % 7) + ".0." + i, "x");
            }
            return f;
        }

        /** The machines the golden files are made from, by golden file name. */
        static Map<String, Function<Path, CdiFixture>> golden() {
            return Map.of(
                    "nvidia-1gpu.json", Machines::oneGpuNoHooks,
                    "nvidia-2gpu.json", Machines::twoGpuExample,
                    "nvidia-8gpu.json", Machines::hgx,
                    "nvidia-2gpu-kata-extension.json", Machines::kataExtensionExample,
                    "nvidia-8gpu-mig.json", Machines::hgxWithMig);
        }
    }
}
