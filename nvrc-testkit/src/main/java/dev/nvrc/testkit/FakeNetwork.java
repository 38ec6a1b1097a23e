package dev.nvrc.testkit;

import dev.nvrc.core.port.Network;

/** Remembers whether the loopback was brought up. */
public final class FakeNetwork implements Network {
    private volatile boolean loopbackUp;

    @Override
    public void loopbackUp() {
        loopbackUp = true;
    }

    /** True after {@link #loopbackUp()}. */
    public boolean isLoopbackUp() {
        return loopbackUp;
    }
}
