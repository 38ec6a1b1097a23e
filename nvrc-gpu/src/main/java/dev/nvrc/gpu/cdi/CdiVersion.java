package dev.nvrc.gpu.cdi;

import java.util.List;
import java.util.stream.Stream;

/**
 * The lowest CDI version a spec's content needs.
 *
 * <p>Runtimes refuse a version newer than the one they implement (podman 4.3 knows up to 0.5.0),
 * so a spec states the oldest version that can express it, as the CDI library's own
 * {@code MinimumRequiredVersion} does. The model has no field newer than 0.5.0 (no annotations,
 * no additional GIDs, no Intel RDT), so the answer is 0.3.0 or 0.5.0.
 */
public final class CdiVersion {
    /** The oldest version this generator writes. */
    public static final String V0_3_0 = "0.3.0";
    /** Device names that start with a digit and {@code hostPath} on device nodes. */
    public static final String V0_5_0 = "0.5.0";

    private CdiVersion() {
    }

    /** The version for a spec with these devices and common edits. */
    public static String minimumFor(List<CdiDevice> devices, ContainerEdits common) {
        boolean digitName = devices.stream()
                .anyMatch(d -> !d.name().isEmpty() && Character.isDigit(d.name().charAt(0)));
        boolean nodeHostPath = Stream.concat(devices.stream().map(CdiDevice::containerEdits), Stream.of(common))
                .flatMap(e -> e.deviceNodes().stream())
                .anyMatch(n -> n.hostPath() != null);
        return digitName || nodeHostPath ? V0_5_0 : V0_3_0;
    }
}
