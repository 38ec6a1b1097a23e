package dev.nvrc.gpu.cdi;

import java.util.ArrayList;
import java.util.List;

/**
 * The lowest CDI version a spec's content needs.
 *
 * <p>Runtimes refuse a version newer than the one they implement (podman 4.3 knows up to 0.5.0),
 * so a spec states the oldest version that can express it, as the CDI libraries' own
 * {@code MinimumRequiredVersion} (Go) and {@code minimum_required_version} (the Rust crate
 * kata-agent uses) do; both refuse a spec that declares less than its content needs. The model
 * has no annotations, mount types or Intel RDT, so the answer is 0.3.0, 0.5.0 (device names that
 * do not start with a letter, {@code hostPath} on a device node) or 0.7.0 ({@code additionalGids}).
 */
public final class CdiVersion {
    /** The oldest version this generator writes. */
    public static final String V0_3_0 = "0.3.0";
    /** Device names that start with a digit and {@code hostPath} on device nodes. */
    public static final String V0_5_0 = "0.5.0";
    /** {@code additionalGids} in container edits. */
    public static final String V0_7_0 = "0.7.0";

    private CdiVersion() {
    }

    /** The version for a spec with these devices and common edits. */
    public static String minimumFor(List<CdiDevice> devices, ContainerEdits common) {
        // Plain loops: this runs once per boot, in a JVM where streams would first be set up.
        List<ContainerEdits> edits = new ArrayList<>(devices.size() + 1);
        for (CdiDevice d : devices) {
            edits.add(d.containerEdits());
        }
        edits.add(common);
        boolean needs050 = false;
        for (ContainerEdits e : edits) {
            if (!e.additionalGids().isEmpty()) {
                return V0_7_0;
            }
            for (DeviceNode n : e.deviceNodes()) {
                needs050 |= n.hostPath() != null;
            }
        }
        // The Go library asks for a letter, the Rust crate for an alphabetic character: the same
        // for the ASCII names CDI allows.
        for (CdiDevice d : devices) {
            needs050 |= !d.name().isEmpty() && !Character.isLetter(d.name().charAt(0));
        }
        return needs050 ? V0_5_0 : V0_3_0;
    }
}
