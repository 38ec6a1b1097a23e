package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;

/**
 * Carries the port GUID from the step that finds it to the steps that start NVLSM and Fabric
 * Manager: it is known only at run time, after {@code mlx5_ib} has created the devices.
 *
 * <p>For the plan it can look ahead: built with the tree the steps are for, and that tree already
 * has {@code /sys/class/infiniband} ({@code nvrc plan --root} on a machine image or a running
 * system), {@link #planned()} is the GUID {@link PortGuidFinder} finds there, or why there is none.
 */
final class PortGuidHolder {
    /** What the plan shows where the GUID will go when the devices do not exist yet. */
    static final String PLACEHOLDER = "<port GUID from " + PortGuidFinder.CLASS_DIR + ">";

    private final NvrcPaths preview;
    private volatile PortGuid guid;

    /** A holder whose plan shows the placeholder. */
    PortGuidHolder() {
        this(null);
    }

    /** A holder whose plan looks at {@code preview}'s InfiniBand devices ({@code null}: placeholder). */
    PortGuidHolder(NvrcPaths preview) {
        this.preview = preview;
    }

    void set(PortGuid found) {
        this.guid = found;
    }

    /** The GUID; fails when the discovery step has not run (the steps were put in the wrong order). */
    PortGuid require(String step) throws BootFailure {
        PortGuid g = guid;
        if (g == null) {
            throw new BootFailure(step + " needs the InfiniBand port GUID, but step '"
                    + FabricSteps.PORT_GUID + "' has not run before it");
        }
        return g;
    }

    /** What the plan shows as the port: the GUID found in the preview tree, a reason, or the placeholder. */
    Planned planned() {
        if (preview == null || !Files.isDirectory(preview.infiniband())) {
            return new Planned(PLACEHOLDER, PLACEHOLDER);
        }
        try {
            PortGuid found = PortGuidFinder.find(preview);
            return new Planned(found.guid(), found.toString());
        } catch (BootFailure e) {
            return new Planned(PLACEHOLDER, "<none: " + e.getMessage() + ">");
        }
    }

    /**
     * The plan's view of the port.
     *
     * @param argument what goes after {@code -g} in the daemons' argv
     * @param description the GUID with its device, or why none qualifies
     */
    record Planned(String argument, String description) {}
}
