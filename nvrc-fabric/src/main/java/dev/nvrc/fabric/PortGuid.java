package dev.nvrc.fabric;

import java.util.Objects;

/**
 * The port GUID NVLSM and Fabric Manager bind to.
 *
 * @param device the InfiniBand device it belongs to ({@code mlx5_0})
 * @param guid {@code 0x} and 16 hex digits, the last four groups of port 1's GID 0 as the kernel
 *     printed them ({@code 0x0002c90300297de1})
 */
public record PortGuid(String device, String guid) {
    public PortGuid {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(guid, "guid");
    }

    @Override
    public String toString() {
        return guid + " (" + device + " port 1)";
    }
}
