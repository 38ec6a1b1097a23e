package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;

/**
 * A bind mount into the container.
 *
 * @param hostPath the source, as the runtime sees it
 * @param containerPath the target inside the container
 * @param options mount options ({@code ro}, {@code rbind}, ...)
 */
@JsonPropertyOrder({"hostPath", "containerPath", "options"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Mount(String hostPath, String containerPath, List<String> options) {
    /** Options of a driver file: read-only, no set-uid, no devices, private recursive bind. */
    public static final List<String> FILE_OPTIONS = List.of("ro", "nosuid", "nodev", "rbind", "rprivate");

    /** Options of an IPC socket: writable (clients connect), but never executable. */
    public static final List<String> SOCKET_OPTIONS = List.of("nosuid", "nodev", "rbind", "rprivate", "noexec");

    public Mount {
        Objects.requireNonNull(hostPath, "hostPath");
        Objects.requireNonNull(containerPath, "containerPath");
        options = List.copyOf(options);
    }
}
