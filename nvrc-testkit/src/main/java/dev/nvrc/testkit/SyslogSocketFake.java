package dev.nvrc.testkit;

import dev.nvrc.core.port.SyslogSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The socket half of a fake {@link SyslogSink}: records its bind and its release, in order, so
 * a test asserts that /dev/log is bound once, before it is handed to the drainer, and which
 * descriptor the drainer got. The message half is the subclass's.
 */
public abstract class SyslogSocketFake implements SyslogSink {
    /** The descriptor {@link #releaseToDrainer()} hands on. */
    public static final int RELEASED_FD = 7;

    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile boolean bound;

    /** Records {@code bind /dev/log}; a second bind fails. */
    @Override
    public final void bind() {
        if (bound) {
            throw new IllegalStateException("/dev/log bound twice");
        }
        bound = true;
        events.add("bind /dev/log");
    }

    /** Records {@code release} and returns {@link #RELEASED_FD}; fails before a bind. */
    @Override
    public final int releaseToDrainer() {
        if (!bound) {
            throw new IllegalStateException("/dev/log released before it was bound");
        }
        events.add("release");
        return RELEASED_FD;
    }

    /** What happened to the socket, in order: {@code bind /dev/log}, {@code release}. */
    public final List<String> socketEvents() {
        return List.copyOf(events);
    }
}
