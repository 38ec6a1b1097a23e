package dev.nvrc.core.plan;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.port.Ports;
import java.util.Objects;

/**
 * What a running step works with.
 *
 * @param config the configuration
 * @param paths where the machine's files are
 * @param ports the machine
 * @param daemons the daemons started so far (for health checks and the report)
 */
public record BootContext(BootConfig config, NvrcPaths paths, Ports ports, TrackedDaemons daemons) {
    public BootContext {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(daemons, "daemons");
    }
}
