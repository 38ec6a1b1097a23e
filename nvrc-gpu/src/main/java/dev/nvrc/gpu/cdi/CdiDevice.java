package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One requestable device ({@code nvidia.com/gpu=<name>}).
 *
 * @param name {@code 0}, {@code GPU-<uuid>} or {@code all}
 * @param containerEdits what a container that asks for this device gets
 */
@JsonPropertyOrder({"name", "containerEdits"})
public record CdiDevice(String name, ContainerEdits containerEdits) {
    public CdiDevice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(containerEdits, "containerEdits");
    }
}
