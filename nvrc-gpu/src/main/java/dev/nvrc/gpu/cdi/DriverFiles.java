package dev.nvrc.gpu.cdi;

import dev.nvrc.core.Arch;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The user-space files of one driver version under a driver root, as the mounts a container
 * needs, in {@code nvidia-ctk}'s order: libraries, IPC sockets, programs, GSP firmware.
 *
 * <ul>
 *   <li>Libraries: every {@code lib*.so.<version>} in the directory that holds
 *       {@code libcuda.so.<version>} (the first of {@link #libraryDirs} that has one), then those
 *       in its {@code vdpau/} subdirectory ({@code libvdpau_nvidia.so.<version>}), then the legacy
 *       NVVM {@code libnvidia-nvvm70.so.*} (no driver-version suffix), as nvidia-ctk finds them.</li>
 *   <li>Sockets: persistenced's and Fabric Manager's, when they exist; then the MPS pipe
 *       directory {@code /tmp/nvidia-mps} when an MPS control daemon has made it.</li>
 *   <li>Programs: {@link #PROGRAMS} that exist and are executable, looked up along the default
 *       {@code PATH}.</li>
 *   <li>Firmware: {@code /lib/firmware/nvidia/<version>/gsp*.bin}.</li>
 * </ul>
 */
final class DriverFiles {
    /** Where the driver's libraries may be after the architecture's multiarch directories. */
    static final List<String> GENERIC_LIBRARY_DIRS = List.of("/usr/lib64", "/lib64", "/usr/lib", "/lib");

    /** The driver's programs worth having in a container, in the order they are mounted. */
    static final List<String> PROGRAMS = List.of(
            "nvidia-smi", "nvidia-persistenced", "nvidia-debugdump",
            "nvidia-cuda-mps-control", "nvidia-cuda-mps-server", "nvidia-imex", "nvidia-imex-ctl");

    /** Where programs are looked up (the default {@code PATH}). */
    static final List<String> PROGRAM_DIRS = List.of(
            "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin");

    /** The daemons' sockets, each tried under /run, then /var/run. */
    static final List<String> SOCKETS = List.of("nvidia-persistenced/socket", "nvidia-fabricmanager/socket");

    /** The MPS control daemon's pipe directory (its default {@code CUDA_MPS_PIPE_DIRECTORY}). */
    static final String MPS_PIPE_DIR = "/tmp/nvidia-mps";

    /** The driver's configuration files that are mounted, relative to {@link #CONFIG_DIRS}. */
    static final List<String> CONFIGS = List.of("OpenCL/vendors/nvidia.icd");

    /** Where configuration files are looked for, in order (nvidia-ctk's driver config paths). */
    static final List<String> CONFIG_DIRS = List.of("/etc", "/usr/share");

    /** The subdirectory of the library directory with the VDPAU driver. */
    static final String VDPAU_DIR = "vdpau";

    /** The legacy NVVM library, versioned by its own ABI ({@code libnvidia-nvvm70.so.4}), not the driver's. */
    static final String LEGACY_NVVM = "libnvidia-nvvm70.so.";

    /** A library of the NVIDIA driver with a driver-like version ({@code libnvidia-ml.so.550.54.15}). */
    private static final Pattern DRIVER_LIBRARY =
            Pattern.compile("(?:libcuda|libnv|lib\\w+_nvidia)[^/]*\\.so\\.(\\d{3,}\\.\\d+(?:\\.\\d+)?)");

    private final NvrcPaths paths;
    private final String root;
    private final Arch arch;
    private final String version;

    /** The driver files of {@code version} for {@code arch} under {@code root} (a guest path). */
    DriverFiles(NvrcPaths paths, String root, Arch arch, String version) {
        this.paths = paths;
        this.root = root;
        this.arch = arch;
        this.version = version;
    }

    /**
     * Where the driver's libraries may be, in the order they are tried: the architecture's
     * multiarch directories ({@code /usr/lib/aarch64-linux-gnu}, {@code /lib/aarch64-linux-gnu}),
     * then {@link #GENERIC_LIBRARY_DIRS}. Another architecture's directories are never tried: its
     * libraries could not be loaded.
     */
    static List<String> libraryDirs(Arch arch) {
        List<String> dirs = new ArrayList<>(arch.libraryDirs());
        dirs.addAll(GENERIC_LIBRARY_DIRS);
        return List.copyOf(dirs);
    }

    /**
     * The directory (container path) holding {@code libcuda.so.<version>}. Fails when there is
     * none, or when a library there belongs to another driver version.
     */
    String libraryDir() throws BootFailure {
        for (String dir : libraryDirs(arch)) {
            List<String> names = names(dir);
            for (String n : names) {
                if (n.startsWith("libcuda.so.") && isDriverLibrary(n)) {
                    checkOneVersion(dir, names);
                    return dir;
                }
            }
        }
        throw new BootFailure("no driver libraries: libcuda.so." + version + " is in none of "
                + libraryDirs(arch).stream().map(this::hostPath).toList());
    }

    /**
     * Mounts of every {@code lib*.so.<version>} in {@code libraryDir} and its {@code vdpau/}, then
     * of the legacy NVVM library.
     */
    List<Mount> libraries(String libraryDir) throws BootFailure {
        List<Mount> mounts = new ArrayList<>(versionedLibraries(libraryDir));
        mounts.addAll(versionedLibraries(libraryDir + "/" + VDPAU_DIR));
        for (String name : names(libraryDir)) {
            if (name.startsWith(LEGACY_NVVM) && Files.isRegularFile(resolve(libraryDir + "/" + name),
                    LinkOption.NOFOLLOW_LINKS)) {
                mounts.add(fileMount(libraryDir + "/" + name));
            }
        }
        return mounts;
    }

    private List<Mount> versionedLibraries(String dir) throws BootFailure {
        List<Mount> mounts = new ArrayList<>();
        String suffix = ".so." + version;
        for (String name : names(dir)) {
            if (name.startsWith("lib") && name.endsWith(suffix)) {
                String path = dir + "/" + name;
                if (!Files.isRegularFile(resolve(path))) {
                    throw new BootFailure(hostPath(path) + " is not a regular file (a dangling link?)");
                }
                mounts.add(fileMount(path));
            }
        }
        return mounts;
    }

    /**
     * The folders of the mounted libraries, for {@code update-ldcache}: {@code libraryDir}, then
     * its {@code vdpau/} when it holds a library of this version (nvidia-ctk names every folder a
     * mounted library is in).
     */
    List<String> libraryFolders(String libraryDir) throws BootFailure {
        String vdpau = libraryDir + "/" + VDPAU_DIR;
        return versionedLibraries(vdpau).isEmpty() ? List.of(libraryDir) : List.of(libraryDir, vdpau);
    }

    /**
     * Mounts of the driver's configuration files a compute container uses: the OpenCL ICD
     * ({@code OpenCL/vendors/nvidia.icd}, which names {@code libnvidia-opencl.so.1}), the first
     * found under {@code /etc}, then {@code /usr/share}, mounted at the path it was found at.
     */
    List<Mount> configs() {
        List<Mount> mounts = new ArrayList<>();
        for (String file : CONFIGS) {
            for (String dir : CONFIG_DIRS) {
                String path = dir + "/" + file;
                if (Files.isRegularFile(resolve(path))) {
                    mounts.add(fileMount(path));
                    break;
                }
            }
        }
        return mounts;
    }

    /** True when the driver's GBM backend library ({@code libnvidia-allocator.so.<version>}) is installed. */
    boolean hasGbmAllocator(String libraryDir) {
        return Files.isRegularFile(resolve(libraryDir + "/libnvidia-allocator.so." + version));
    }

    /** Mounts of the daemons' sockets that exist, then of the MPS pipe directory when it exists. */
    List<Mount> sockets() {
        List<Mount> mounts = new ArrayList<>();
        for (String socket : SOCKETS) {
            for (String dir : List.of("/run/", "/var/run/")) {
                String path = dir + socket;
                Path file = resolve(path);
                if (Files.exists(file) && !Files.isDirectory(file)) {
                    mounts.add(new Mount(hostPath(path), path, Mount.SOCKET_OPTIONS));
                    break;
                }
            }
        }
        if (Files.isDirectory(resolve(MPS_PIPE_DIR))) {
            mounts.add(new Mount(hostPath(MPS_PIPE_DIR), MPS_PIPE_DIR, Mount.SOCKET_OPTIONS));
        }
        return mounts;
    }

    /** Mounts of the driver's programs that exist. */
    List<Mount> programs() {
        List<Mount> mounts = new ArrayList<>();
        for (String program : PROGRAMS) {
            Optional<String> path = findProgram(program);
            if (path.isPresent()) {
                mounts.add(fileMount(path.get()));
            }
        }
        return mounts;
    }

    /** Mounts of the GSP firmware of this version. */
    List<Mount> firmware() throws BootFailure {
        String dir = "/lib/firmware/nvidia/" + version;
        List<Mount> mounts = new ArrayList<>();
        for (String name : names(dir)) {
            String path = dir + "/" + name;
            if (name.startsWith("gsp") && name.endsWith(".bin") && Files.isRegularFile(resolve(path))) {
                mounts.add(fileMount(path));
            }
        }
        return mounts;
    }

    /** The first executable {@code name} along {@link #PROGRAM_DIRS} (a container path). */
    Optional<String> findProgram(String name) {
        for (String dir : PROGRAM_DIRS) {
            String path = dir + "/" + name;
            Path file = resolve(path);
            if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    private void checkOneVersion(String dir, List<String> names) throws BootFailure {
        for (String name : names) {
            if (!mayBeDriverLibrary(name)) {
                continue;
            }
            Matcher m = DRIVER_LIBRARY.matcher(name);
            if (m.matches() && !m.group(1).equals(version)) {
                throw new BootFailure("two driver versions: " + hostPath(dir + "/" + name) + " is version "
                        + m.group(1) + " but the loaded driver (" + DriverVersion.FILE + ") is " + version);
            }
        }
    }

    private boolean isDriverLibrary(String name) {
        return mayBeDriverLibrary(name) && DRIVER_LIBRARY.matcher(name).matches();
    }

    /**
     * What {@link #DRIVER_LIBRARY} needs at the least, checked before the expression runs: a
     * library directory holds hundreds of names, and in the boot's fresh JVM the regex engine
     * runs interpreted for each.
     */
    private static boolean mayBeDriverLibrary(String name) {
        return (name.startsWith("libnv") || name.startsWith("libcuda") || name.contains("_nvidia"))
                && name.contains(".so.");
    }

    private Mount fileMount(String path) {
        return new Mount(hostPath(path), path, Mount.FILE_OPTIONS);
    }

    private List<String> names(String dir) throws BootFailure {
        return KernelMadeFiles.names(resolve(dir), hostPath(dir));
    }

    private String hostPath(String path) {
        return GuestPathStrings.join(root, path);
    }

    private Path resolve(String path) {
        return paths.resolve(hostPath(path));
    }
}
