package dev.nvrc.testkit;

import dev.nvrc.core.port.Daemon;
import dev.nvrc.core.port.ExitStatus;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A process of the host as core's {@link Daemon}: its end, once, to every listener, also to one
 * added after it ended. The subclass says when it ended ({@link #ended(ExitStatus)}) and what it
 * printed.
 */
abstract class HostDaemon implements Daemon {
    private final List<Consumer<ExitStatus>> listeners = new CopyOnWriteArrayList<>();
    private volatile ExitStatus status;

    /** The process ended with {@code s}: recorded, then every listener hears it. */
    final void ended(ExitStatus s) {
        synchronized (this) {
            status = s;
        }
        listeners.forEach(l -> l.accept(s));
    }

    @Override
    public final Optional<ExitStatus> exitStatus() {
        return Optional.ofNullable(status);
    }

    @Override
    public final void onExit(Consumer<ExitStatus> listener) {
        ExitStatus now;
        synchronized (this) {
            now = status;
            if (now == null) {
                listeners.add(listener);
                return;
            }
        }
        listener.accept(now);
    }
}
