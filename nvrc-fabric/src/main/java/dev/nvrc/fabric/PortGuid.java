package dev.nvrc.fabric;

import java.util.Objects;

/**
 * The port GUID NVLSM and Fabric Manager bind to.
 *
 * @param device the InfiniBand device it belongs to ({@code mlx5_0})
 * @param port the port number (1 or more)
 * @param guid {@code 0x} and 16 lower-case hex digits, the low 64 bits of the port's GID 0
 *     ({@code 0x0002c90300297de1})
 */
public record PortGuid(String device, int port, String guid) {
    public PortGuid {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(guid, "guid");
    }

    @Override
    public String toString() {
        return guid + " (" + device + " port " + port + ")";
    }
}
