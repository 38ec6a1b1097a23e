package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A device node to create in the container.
 *
 * @param path where the node appears in the container
 * @param hostPath where the runtime finds the node, or {@code null} when it is {@code path}
 */
@JsonPropertyOrder({"path", "hostPath"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceNode(String path, String hostPath) {
    public DeviceNode {
        Objects.requireNonNull(path, "path");
        if (path.equals(hostPath)) {
            hostPath = null;
        }
    }

    /** A node found at the same path in the runtime's view and the container's. */
    public static DeviceNode at(String path) {
        return new DeviceNode(path, null);
    }
}
