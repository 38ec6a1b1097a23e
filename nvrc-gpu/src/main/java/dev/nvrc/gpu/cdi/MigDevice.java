package dev.nvrc.gpu.cdi;

import java.util.List;

/**
 * One MIG device: a compute instance of a GPU instance of a GPU in MIG mode, the unit NVML and
 * CUDA offer as a device.
 *
 * @param gpuMinor the parent GPU's device minor ({@code /dev/nvidia<minor>})
 * @param gpuInstance the GPU instance id ({@code gi<G>})
 * @param computeInstance the compute instance id within it ({@code ci<C>})
 * @param gpuInstanceMinor the minor of the GPU instance's capability node
 * @param computeInstanceMinor the minor of the compute instance's capability node
 */
record MigDevice(int gpuMinor, int gpuInstance, int computeInstance, int gpuInstanceMinor,
        int computeInstanceMinor) {
    /** The nodes a container needs for this device, in nvidia-ctk's order: GPU, GI cap, CI cap. */
    List<String> nodePaths() {
        return List.of("/dev/nvidia" + gpuMinor, MigMinors.nodePath(gpuInstanceMinor),
                MigMinors.nodePath(computeInstanceMinor));
    }

    /** {@code gpu0/gi1/ci0}, for messages. */
    String placement() {
        return "gpu" + gpuMinor + "/gi" + gpuInstance + "/ci" + computeInstance;
    }
}
