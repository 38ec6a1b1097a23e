package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * A device node to create in the container, with what the live node says about it.
 *
 * <p>The fields are those {@code nvidia-ctk} (since v1.19.0) fills from the node it finds: major
 * and minor (left out when 0, as Go's {@code omitempty} does), the permission bits as
 * {@code fileMode} (left out when 0), {@code permissions} {@code "rwm"} (the device cgroup access)
 * and the group when it is not 0. The owner is never written: the runtime then gives the node to
 * the container's user. A node made without a live node ({@link #at}) has the path only, and the
 * runtime reads the rest when it creates the container.
 *
 * @param path where the node appears in the container
 * @param hostPath where the runtime finds the node, or {@code null} when it is {@code path}
 * @param major the major number, or {@code null} (also for 0)
 * @param minor the minor number, or {@code null} (also for 0)
 * @param fileMode the permission bits ({@code st_mode} without the file type), or {@code null}
 *     (also for 0)
 * @param permissions the device cgroup access, {@code rwm}, or {@code null}
 * @param gid the node's group, or {@code null} (also for 0)
 */
@JsonPropertyOrder({"path", "hostPath", "major", "minor", "fileMode", "permissions", "gid"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceNode(String path, String hostPath, Long major, Long minor, Integer fileMode, String permissions,
        Long gid) {
    /** The device cgroup access nvidia-ctk asks for every node. */
    public static final String RWM = "rwm";

    public DeviceNode {
        Objects.requireNonNull(path, "path");
        if (path.equals(hostPath)) {
            hostPath = null;
        }
        major = nonZero(major);
        minor = nonZero(minor);
        if (fileMode != null && fileMode == 0) {
            fileMode = null;
        }
        gid = nonZero(gid);
    }

    /** A node known by its paths only (the runtime reads the rest from the node). */
    public DeviceNode(String path, String hostPath) {
        this(path, hostPath, null, null, null, null, null);
    }

    /** A node found at the same path in the runtime's view and the container's, path only. */
    public static DeviceNode at(String path) {
        return new DeviceNode(path, null);
    }

    /**
     * True when a container process needs the node's group as an additional group to open it:
     * the node has a group other than root and is not both world-readable and world-writable
     * (nvidia-ctk's rule; with {@code NVreg_DeviceFileMode=0660} and a non-root
     * {@code NVreg_DeviceFileGID} every NVIDIA node is such a node).
     */
    @JsonIgnore
    public boolean needsAdditionalGid() {
        return gid != null && fileMode != null && (fileMode & 06) != 06;
    }

    private static Long nonZero(Long value) {
        return value != null && value == 0 ? null : value;
    }
}
