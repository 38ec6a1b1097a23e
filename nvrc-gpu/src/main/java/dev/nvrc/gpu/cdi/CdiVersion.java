package dev.nvrc.gpu.cdi;

import java.util.List;
import java.util.stream.Stream;

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
        boolean gids = Stream.concat(devices.stream().map(CdiDevice::containerEdits), Stream.of(common))
                .anyMatch(e -> !e.additionalGids().isEmpty());
        if (gids) {
            return V0_7_0;
        }
        // The Go library asks for a letter, the Rust crate for an alphabetic character: the same
        // for the ASCII names CDI allows.
        boolean digitName = devices.stream()
                .anyMatch(d -> !d.name().isEmpty() && !Character.isLetter(d.name().charAt(0)));
        boolean nodeHostPath = Stream.concat(devices.stream().map(CdiDevice::containerEdits), Stream.of(common))
                .flatMap(e -> e.deviceNodes().stream())
                .anyMatch(n -> n.hostPath() != null);
        return digitName || nodeHostPath ? V0_5_0 : V0_3_0;
    }
}
