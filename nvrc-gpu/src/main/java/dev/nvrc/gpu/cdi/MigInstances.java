package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MIG devices of a GPU, from the capability tree the driver keeps in procfs.
 *
 * <p>The driver makes {@code /proc/driver/nvidia/capabilities/gpu<minor>/mig/} for every GPU (MIG
 * mode or not), a directory {@code gi<G>/} with an {@code access} file for each GPU instance that
 * exists and {@code gi<G>/ci<C>/access} for each of its compute instances; each {@code access}
 * file says {@code DeviceFileMinor: <minor>}. A GPU with at least one GPU instance is in MIG mode
 * (instances exist only then). Each compute instance is a MIG device; a GPU instance without one
 * is none, and its GPU is then offered as nothing. Without NVML nothing else can be read: MIG mode enabled with no instance yet looks like
 * MIG mode disabled, and the MIG UUIDs are known only to NVML (see docs/cdi.md).
 *
 * <p>Order: by GPU instance id, then compute instance id. A capability the driver's
 * {@code mig-minors} does not list, or whose {@code access} file names another minor, fails.
 */
final class MigInstances {
    static final String CAPABILITIES = "/proc/driver/nvidia/capabilities";

    private static final Pattern GI = Pattern.compile("gi(\\d{1,4})");
    private static final Pattern CI = Pattern.compile("ci(\\d{1,4})");
    private static final Pattern DEVICE_FILE_MINOR = Pattern.compile("(?m)^DeviceFileMinor:\\s*(\\d{1,9})\\s*$");

    private MigInstances() {
    }

    /**
     * The MIG devices of the GPU with device minor {@code gpuMinor}, in order, when it is in MIG
     * mode (has a GPU instance; the list is empty when no GPU instance has a compute instance);
     * empty when it is not.
     */
    static Optional<List<MigDevice>> of(NvrcPaths paths, int gpuMinor, Optional<MigMinors> minors)
            throws BootFailure {
        String migDir = CAPABILITIES + "/gpu" + gpuMinor + "/mig";
        List<int[]> found = new ArrayList<>();
        boolean migMode = false;
        for (int gi : ids(paths, migDir, GI)) {
            String giDir = migDir + "/gi" + gi;
            if (!Files.isRegularFile(paths.resolve(giDir + "/access"))) {
                continue; // a directory being torn down: no instance to offer
            }
            migMode = true;
            for (int ci : ids(paths, giDir, CI)) {
                if (Files.isRegularFile(paths.resolve(giDir + "/ci" + ci + "/access"))) {
                    found.add(new int[] {gi, ci});
                }
            }
        }
        if (!migMode) {
            return Optional.empty();
        }
        if (found.isEmpty()) {
            return Optional.of(List.of());
        }
        if (minors.isEmpty()) {
            throw new BootFailure(migDir + " has MIG instances but " + MigMinors.FILE
                    + " does not exist: cannot tell the minors of their capability nodes");
        }
        found.sort(Comparator.<int[]>comparingInt(p -> p[0]).thenComparingInt(p -> p[1]));
        List<MigDevice> devices = new ArrayList<>();
        for (int[] p : found) {
            String gi = "gpu" + gpuMinor + "/gi" + p[0];
            String ci = gi + "/ci" + p[1];
            devices.add(new MigDevice(gpuMinor, p[0], p[1],
                    minor(paths, minors.get(), gi + "/access", migDir + "/gi" + p[0] + "/access"),
                    minor(paths, minors.get(), ci + "/access", migDir + "/gi" + p[0] + "/ci" + p[1] + "/access")));
        }
        return Optional.of(devices);
    }

    /** The numbers of the entries of {@code dir} named like {@code pattern}. */
    private static List<Integer> ids(NvrcPaths paths, String dir, Pattern pattern) throws BootFailure {
        List<Integer> ids = new ArrayList<>();
        for (String name : KernelMadeFiles.names(paths.resolve(dir), dir)) {
            Matcher m = pattern.matcher(name);
            if (m.matches() && Files.isDirectory(paths.resolve(dir + "/" + name))) {
                ids.add(Integer.parseInt(m.group(1)));
            }
        }
        return ids;
    }

    private static int minor(NvrcPaths paths, MigMinors minors, String capability, String accessFile)
            throws BootFailure {
        int listed = minors.minor(capability).orElseThrow(() -> new BootFailure(MigMinors.FILE + " does not list "
                + capability + ", the capability of " + accessFile));
        Path file = paths.resolve(accessFile);
        Matcher m = DEVICE_FILE_MINOR.matcher(KernelMadeFiles.readText(file, accessFile, "the minor of its capability node"));
        if (!m.find()) {
            throw new BootFailure(accessFile + ": no 'DeviceFileMinor: <n>' line");
        }
        if (Integer.parseInt(m.group(1)) != listed) {
            throw new BootFailure(accessFile + ": DeviceFileMinor is " + m.group(1) + " but " + MigMinors.FILE
                    + " lists " + capability + " as " + listed);
        }
        return listed;
    }
}
