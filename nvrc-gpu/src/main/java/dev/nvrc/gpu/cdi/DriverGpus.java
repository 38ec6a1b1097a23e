package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The GPUs the NVIDIA driver drives: one directory per GPU in {@code /proc/driver/nvidia/gpus},
 * named by its PCI address, in address order (the order of {@code nvidia-smi} and of the
 * {@code 0}, {@code 1}, ... device names).
 *
 * <p>GPUs the driver excluded ({@code GPU Excluded: Yes}) are left out, as NVML leaves them out.
 */
final class DriverGpus {
    static final String DIR = "/proc/driver/nvidia/gpus";

    /** A PCI address as the kernel writes it: domain, bus, device, function in lower-case hex. */
    static final Pattern BDF = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-1][0-9a-f]\\.[0-7]");

    private DriverGpus() {
    }

    /** The usable GPUs in address order; at least one. */
    static List<DriverGpu> read(NvrcPaths paths) throws BootFailure {
        Path dir = paths.nvidiaGpus();
        if (!Files.isDirectory(dir)) {
            throw new BootFailure(DIR + " does not exist: the nvidia driver lists no GPUs (is the nvidia module loaded?)");
        }
        List<DriverGpu> gpus = new ArrayList<>();
        Map<String, String> uuids = new HashMap<>();
        Map<Integer, String> minors = new HashMap<>();
        for (String bdf : KernelMadeFiles.names(dir, DIR)) {
            String entry = DIR + "/" + bdf;
            if (!BDF.matcher(bdf).matches()) {
                throw new BootFailure(entry + ": expected directories named by PCI address (0000:41:00.0)");
            }
            String file = entry + "/information";
            GpuInformation info = GpuInformation.parse(
                    KernelMadeFiles.readText(dir.resolve(bdf).resolve("information"), file, "the GPU's UUID and device minor"),
                    file);
            if (info.excluded()) {
                continue;
            }
            if (info.busLocation().isPresent() && !info.busLocation().get().equals(bdf)) {
                throw new BootFailure(file + ": 'Bus Location' is " + info.busLocation().get() + ", not " + bdf);
            }
            if (!Files.isDirectory(paths.pciDevices().resolve(bdf))) {
                throw new BootFailure("the driver lists GPU " + bdf + " (" + entry
                        + ") but /sys/bus/pci/devices/" + bdf + " does not exist");
            }
            DriverGpu gpu = new DriverGpu(bdf, info.uuid(), info.minor());
            String sameUuid = uuids.putIfAbsent(gpu.uuid().toLowerCase(Locale.ROOT), bdf);
            if (sameUuid != null) {
                throw new BootFailure(file + ": " + gpu.uuid() + " is also the UUID of GPU " + sameUuid);
            }
            String sameMinor = minors.putIfAbsent(gpu.minor(), bdf);
            if (sameMinor != null) {
                throw new BootFailure(file + ": device minor " + gpu.minor() + " is also the minor of GPU " + sameMinor);
            }
            gpus.add(gpu);
        }
        if (gpus.isEmpty()) {
            throw new BootFailure(DIR + " lists no usable GPU (none, or all excluded by the driver)");
        }
        return gpus;
    }
}
