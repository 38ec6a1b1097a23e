package dev.nvrc.core.port;

import java.util.Objects;

/** All ports, handed to steps together. */
public record Ports(
        Mounts mounts,
        Network network,
        Sysctl sysctl,
        ProcessRunner processes,
        SyslogSink syslog,
        InitControl init,
        DeviceNodes deviceNodes) {
    public Ports {
        Objects.requireNonNull(mounts, "mounts");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(sysctl, "sysctl");
        Objects.requireNonNull(processes, "processes");
        Objects.requireNonNull(syslog, "syslog");
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(deviceNodes, "deviceNodes");
    }
}
