package dev.nvrc.core.port;

import dev.nvrc.core.BootFailure;

/** Network interfaces. */
public interface Network {
    /** Sets IFF_UP and IFF_RUNNING on {@code lo} (Fabric Manager binds 127.0.0.1). */
    void loopbackUp() throws BootFailure;
}
