package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * Changes made to a container's OCI spec. Empty lists are left out of the JSON.
 *
 * @param env {@code KEY=value} entries
 * @param deviceNodes device nodes created in the container
 * @param hooks OCI hooks
 * @param mounts bind mounts
 */
@JsonPropertyOrder({"env", "deviceNodes", "hooks", "mounts"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ContainerEdits(List<String> env, List<DeviceNode> deviceNodes, List<Hook> hooks, List<Mount> mounts) {
    public ContainerEdits {
        env = List.copyOf(env);
        deviceNodes = List.copyOf(deviceNodes);
        hooks = List.copyOf(hooks);
        mounts = List.copyOf(mounts);
    }

    /** Edits that only add device nodes and hooks (what a device entry carries). */
    public static ContainerEdits nodesAndHooks(List<DeviceNode> deviceNodes, List<Hook> hooks) {
        return new ContainerEdits(List.of(), deviceNodes, hooks, List.of());
    }
}
