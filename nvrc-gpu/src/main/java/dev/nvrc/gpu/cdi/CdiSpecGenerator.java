package dev.nvrc.gpu.cdi;

import dev.nvrc.core.Arch;
import dev.nvrc.core.io.AtomicFile;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Generates the CDI spec of a guest's NVIDIA GPUs without {@code nvidia-ctk}.
 *
 * <p>Everything is read under an injectable root ({@link NvrcPaths}): the driver's GPU list and
 * version in {@code /proc/driver/nvidia}, the GPUs' PCI and DRM entries in {@code /sys}, the device
 * nodes under the dev root and the driver's files under the driver root ({@link CdiSpecOptions}). Paths
 * written into the spec are guest paths, never the root's host path, so the spec for a machine
 * image mounted at {@code /mnt/image} is the one that machine would write itself.
 *
 * <p>The spec has kind {@code nvidia.com/gpu} and, per GPU in PCI address order, a device named by
 * its index ({@code 0}) and one named by its UUID ({@code GPU-...}); a GPU in MIG mode gets
 * instead one device per MIG instance, {@code <gpu index>:<mig index>}, after all whole GPUs
 * ({@link MigInstances}); then {@code all}. The MIG capability nodes go only into the MIG devices
 * that own them, never into the common edits. Anything
 * missing that a container would need (a GPU's device node, the driver libraries) or that is
 * inconsistent (two driver versions, a GPU the driver lists but sysfs does not) is a
 * {@link BootFailure} naming the file, never a silently thinner spec.
 *
 * <pre>{@code
 * CdiSpec spec = CdiSpecGenerator.generate(NvrcPaths.system(), CdiSteps.options(GuestLayout.detect(NvrcPaths.system())));
 * CdiSpecGenerator.writeAtomically(spec, Path.of(CdiSpecGenerator.SPEC_PATH));
 * }</pre>
 */
public final class CdiSpecGenerator {
    /** Where the init writes the spec (a guest path); runtimes read {@code /var/run/cdi}. */
    public static final String SPEC_PATH = "/var/run/cdi/nvidia.json";
    /** rw-r--r--, as nvidia-ctk writes specs: the runtime may run unprivileged parts. */
    public static final Set<PosixFilePermission> SPEC_MODE = PosixFilePermissions.fromString("rw-r--r--");

    /** The spec's kind. */
    public static final String KIND = "nvidia.com/gpu";

    /** The name of the device that stands for every GPU. */
    public static final String ALL = "all";

    /** The container environment every spec sets: the GPUs come from CDI, not from this variable. */
    public static final String VISIBLE_DEVICES_VOID = "NVIDIA_VISIBLE_DEVICES=void";

    /** Device nodes shared by all GPUs that are used when they exist, in spec order. */
    static final List<String> OPTIONAL_COMMON_NODES =
            List.of("/dev/nvidia-modeset", "/dev/nvidia-uvm-tools", "/dev/nvidia-uvm");

    /** The GBM backend link the driver package installs, relative to the library directory. */
    static final String GBM_BACKEND = "gbm/nvidia-drm_gbm.so";
    /** Its target, relative to the link. */
    static final String GBM_BACKEND_TARGET = "../libnvidia-allocator.so.1";

    /** The control node, without which no GPU can be used. */
    static final String CONTROL_NODE = "/dev/nvidiactl";

    private CdiSpecGenerator() {
    }

    /**
     * Generates the spec of the machine whose files are under {@code root}.
     *
     * @param root where {@code /proc}, {@code /sys}, the dev root and the driver root are read
     * @param options the driver root, dev root and hook path, as guest paths
     * @return the spec, with the lowest CDI version its content needs
     * @throws BootFailure when something the spec needs is missing or inconsistent; the message
     *     names the file
     */
    public static CdiSpec generate(NvrcPaths root, CdiSpecOptions options) throws BootFailure {
        String version = DriverVersion.read(root);
        List<DriverGpu> gpus = DriverGpus.read(root);
        DeviceNodes nodes = new DeviceNodes(root, options.devRoot());
        Optional<CdiHooks> hooks = CdiHooks.find(root, options);
        Optional<MigMinors> migMinors = MigMinors.read(root);

        List<CdiDevice> devices = new ArrayList<>();
        List<CdiDevice> migDevices = new ArrayList<>();
        // Keyed by container path: a node is the same node wherever it is listed. (A set of the
        // records would hash them through the records' bootstrapped hashCode, a cost of its own
        // on the first call in a fresh JVM, which is the boot's only call.)
        Map<String, DeviceNode> allNodes = new LinkedHashMap<>();
        List<Hook> allHooks = new ArrayList<>();
        List<ContainerEdits> migEdits = new ArrayList<>();
        for (int index = 0; index < gpus.size(); index++) {
            DriverGpu gpu = gpus.get(index);
            String owner = "GPU " + gpu.bdf() + " (" + DriverGpus.DIR + "/" + gpu.bdf() + "/information)";
            Optional<List<MigDevice>> mig = MigInstances.of(root, gpu.minor(), migMinors);
            if (mig.isPresent()) {
                List<MigDevice> migs = mig.get();
                // A GPU in MIG mode is offered only as its MIG devices, as nvidia-ctk does: the whole
                // GPU would be a device with no CUDA device in it.
                for (int j = 0; j < migs.size(); j++) {
                    MigDevice instance = migs.get(j);
                    List<DeviceNode> migNodes = new ArrayList<>();
                    for (String path : instance.nodePaths()) {
                        migNodes.add(nodes.required(path, "MIG device " + index + ":" + j + " (" + instance.placement()
                                + ") of " + owner));
                    }
                    ContainerEdits edits = ContainerEdits.nodesAndHooks(migNodes, List.of());
                    migDevices.add(new CdiDevice(index + ":" + j, edits));
                    migEdits.add(edits);
                }
                continue;
            }
            List<DeviceNode> gpuNodes = new ArrayList<>();
            gpuNodes.add(nodes.required(gpu.nodePath(), owner));
            DriNodes dri = DriNodes.of(root, gpu.bdf());
            for (String path : dri.nodePaths()) {
                gpuNodes.add(nodes.required(path, owner + ", shown in /sys/bus/pci/devices/" + gpu.bdf() + "/drm"));
            }
            List<Hook> gpuHooks = hooks.isPresent() && !dri.isEmpty()
                    ? List.of(hooks.get().createSymlinks(dri.byPathLinks(gpu.bdf())))
                    : List.of();
            ContainerEdits edits = ContainerEdits.nodesAndHooks(gpuNodes, gpuHooks);
            devices.add(new CdiDevice(Integer.toString(index), edits));
            devices.add(new CdiDevice(gpu.uuid(), edits));
            for (DeviceNode node : gpuNodes) {
                allNodes.putIfAbsent(node.path(), node);
            }
            allHooks.addAll(gpuHooks);
        }
        // nvidia-ctk lists the whole GPUs first, then every MIG device; "all" merges them in that
        // order, each node once.
        devices.addAll(migDevices);
        for (ContainerEdits e : migEdits) {
            for (DeviceNode node : e.deviceNodes()) {
                allNodes.putIfAbsent(node.path(), node);
            }
        }
        if (allNodes.isEmpty()) {
            throw new BootFailure("no device to offer: every GPU is in MIG mode (" + MigInstances.CAPABILITIES
                    + "/gpu<minor>/mig has GPU instances) but none has a compute instance");
        }
        devices.add(new CdiDevice(ALL, ContainerEdits.nodesAndHooks(List.copyOf(allNodes.values()), allHooks)));
        return CdiSpec.of(KIND, devices, commonEdits(root, options, version, nodes, hooks));
    }

    /** The spec as JSON: {@code nvidia-ctk}'s field order, pretty-printed, deterministic. */
    public static String toJson(CdiSpec spec) {
        return CdiJson.write(spec);
    }

    /**
     * Writes the spec's JSON to {@code target} (a host path) so that readers never see a part of
     * it ({@link AtomicFile}: temporary file in the same directory, fsync, rename, fsync of the
     * directory), mode 0644 as nvidia-ctk writes specs. An existing spec is replaced; missing
     * directories are created.
     */
    public static void writeAtomically(CdiSpec spec, Path target) throws BootFailure {
        AtomicFile.write(target, toJson(spec).getBytes(StandardCharsets.UTF_8), SPEC_MODE, "the CDI spec " + target);
    }

    /**
     * The options' architecture as the internal value the driver's files are looked up by. The
     * api shows it by its kernel name only, and {@link Arch#of} reads that name back.
     */
    static Arch arch(CdiSpecOptions options) {
        return Arch.of(options.architecture()).orElseThrow();
    }

    private static ContainerEdits commonEdits(NvrcPaths root, CdiSpecOptions options, String version, DeviceNodes nodes,
            Optional<CdiHooks> hooks) throws BootFailure {
        List<DeviceNode> common = new ArrayList<>();
        for (String path : OPTIONAL_COMMON_NODES) {
            Optional<DeviceNode> node = nodes.find(path);
            if (node.isPresent()) {
                common.add(node.get());
            }
        }
        common.add(nodes.required(CONTROL_NODE, "the nvidia driver"));

        DriverFiles files = new DriverFiles(root, options.driverRoot(), arch(options), version);
        String libraryDir = files.libraryDir();
        List<Mount> mounts = new ArrayList<>(files.libraries(libraryDir));
        mounts.addAll(files.configs());
        mounts.addAll(files.sockets());
        mounts.addAll(files.programs());
        mounts.addAll(files.firmware());

        List<Hook> commonHooks = new ArrayList<>();
        if (hooks.isPresent()) {
            CdiHooks h = hooks.get();
            if (files.hasGbmAllocator(libraryDir)) {
                // nvidia-ctk's graphics hook, before the driver's own: GBM loads the NVIDIA backend
                // from gbm/nvidia-drm_gbm.so, which the driver package installs as a link.
                commonHooks.add(h.createSymlinks(List.of(GBM_BACKEND_TARGET + "::" + libraryDir + "/" + GBM_BACKEND)));
            }
            commonHooks.add(h.createSymlinks(List.of("libcuda.so.1::" + libraryDir + "/libcuda.so")));
            if (h.supports(CdiHooks.Subcommand.ENABLE_CUDA_COMPAT)) {
                commonHooks.add(h.enableCudaCompat(version));
            }
            commonHooks.add(h.updateLdcache(files.libraryFolders(libraryDir)));
            if (h.supports(CdiHooks.Subcommand.DISABLE_DEVICE_NODE_MODIFICATION)) {
                commonHooks.add(h.disableDeviceNodeModification());
            }
            if (h.supports(CdiHooks.Subcommand.UPDATE_APPLICATION_PROFILE)) {
                commonHooks.add(h.updateApplicationProfile());
            }
        }
        return new ContainerEdits(List.of(VISIBLE_DEVICES_VOID), common, commonHooks, mounts);
    }
}
