package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Changes made to a container's OCI spec. Empty lists are left out of the JSON.
 *
 * <p>{@code additionalGids} is not stored but follows from the device nodes: the group of every
 * node that needs it ({@link DeviceNode#needsAdditionalGid}), each group once, in node order. It
 * is written last, where the CDI types have it.
 *
 * @param env {@code KEY=value} entries
 * @param deviceNodes device nodes created in the container
 * @param hooks OCI hooks
 * @param mounts bind mounts
 */
@JsonPropertyOrder({"env", "deviceNodes", "hooks", "mounts", "additionalGids"})
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

    /**
     * The groups a container process gets in addition to its own so that it can open the device
     * nodes (CDI 0.7.0 {@code additionalGids}); empty for nodes that are world read-writable or
     * owned by group 0.
     */
    @JsonProperty("additionalGids")
    public List<Long> additionalGids() {
        List<Long> gids = new ArrayList<>();
        for (DeviceNode node : deviceNodes) {
            if (node.needsAdditionalGid() && !gids.contains(node.gid())) {
                gids.add(node.gid());
            }
        }
        return gids;
    }
}
