package dev.nvrc.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bind and release of a fake /dev/log, as the fakes record them: a test asserts the order
 * ({@code "bind /dev/log"} before {@code "release"}) and the descriptor the drainer got.
 */
final class SyslogLifecycle {
    private final List<String> events = new CopyOnWriteArrayList<>();
    private volatile boolean bound;

    void bind() {
        if (bound) {
            throw new IllegalStateException("/dev/log bound twice");
        }
        bound = true;
        events.add("bind /dev/log");
    }

    int release(int fd) {
        if (!bound) {
            throw new IllegalStateException("/dev/log released before it was bound");
        }
        events.add("release");
        return fd;
    }

    List<String> events() {
        return List.copyOf(events);
    }
}
