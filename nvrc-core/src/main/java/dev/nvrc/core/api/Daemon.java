package dev.nvrc.core.api;

import dev.nvrc.core.cmdline.DaemonWait;

/**
 * The daemons the init starts, for {@link Settings#readinessTimeout(Daemon)}. Immutable, like
 * every enum, and so safe to share between threads.
 */
public enum Daemon {
    /** {@code nvidia-persistenced} (GPU mode): awaited on its readiness marker. */
    NVIDIA_PERSISTENCED,
    /** {@code nv-fabricmanager} (a GPU VM with its fabric, a service VM): awaited on its readiness marker. */
    NV_FABRICMANAGER,
    /** {@code nvlsm} (NVLink 5 service VM): logs no marker; it must still run after a settle time. */
    NVLSM,
    /** {@code nv-hostengine} (with {@code nvrc.dcgm}): awaited on its readiness line. */
    NV_HOSTENGINE,
    /** {@code dcgm-exporter} (with {@code nvrc.dcgm}): started, not awaited. */
    DCGM_EXPORTER;

    /**
     * The daemon's name, as its step is named in the plan and as in its {@code nvrc.timeout.<daemon>} key.
     *
     * @return such as {@code "nvidia-persistenced"}
     */
    public String daemonName() {
        return rule().daemon();
    }

    /** The boot's rule for this daemon; a switch, so that a daemon added here without one does not compile. */
    DaemonWait rule() {
        return switch (this) {
            case NVIDIA_PERSISTENCED -> DaemonWait.NVIDIA_PERSISTENCED;
            case NV_FABRICMANAGER -> DaemonWait.NV_FABRICMANAGER;
            case NVLSM -> DaemonWait.NVLSM;
            case NV_HOSTENGINE -> DaemonWait.NV_HOSTENGINE;
            case DCGM_EXPORTER -> DaemonWait.DCGM_EXPORTER;
        };
    }
}
