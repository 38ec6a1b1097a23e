package dev.nvrc.fabric;

import dev.nvrc.core.BootFailure;

/**
 * Carries the port GUID from the step that finds it to the steps that start NVLSM and Fabric
 * Manager: it is known only at run time, after {@code mlx5_ib} has created the devices.
 */
final class PortGuidHolder {
    /** What the plan shows where the GUID will go. */
    static final String PLACEHOLDER = "<port GUID from " + PortGuidFinder.CLASS_DIR + ">";

    private volatile PortGuid guid;

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
}
