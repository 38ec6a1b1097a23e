package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole CDI spec: one vendor/class of devices, the named devices and the edits every container
 * that gets any of them receives.
 *
 * @param cdiVersion the CDI version the content needs ({@link CdiVersion#minimumFor})
 * @param kind {@code vendor/class}, {@code nvidia.com/gpu}
 * @param devices the devices in the order they are written
 * @param containerEdits edits applied once whenever a device of this spec is requested
 */
@JsonPropertyOrder({"cdiVersion", "kind", "devices", "containerEdits"})
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CdiSpec(String cdiVersion, String kind, List<CdiDevice> devices, ContainerEdits containerEdits) {
    public CdiSpec {
        Objects.requireNonNull(cdiVersion, "cdiVersion");
        Objects.requireNonNull(kind, "kind");
        devices = List.copyOf(devices);
        Objects.requireNonNull(containerEdits, "containerEdits");
    }

    /** A spec with the lowest CDI version its content needs. */
    public static CdiSpec of(String kind, List<CdiDevice> devices, ContainerEdits containerEdits) {
        return new CdiSpec(CdiVersion.minimumFor(devices, containerEdits), kind, devices, containerEdits);
    }

    /** The device called {@code name}, if any. */
    public Optional<CdiDevice> device(String name) {
        return devices.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
