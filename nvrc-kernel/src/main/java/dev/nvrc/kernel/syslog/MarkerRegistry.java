package dev.nvrc.kernel.syslog;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The open marker watches, each offered every message by the reader thread. */
final class MarkerRegistry {
    private final List<LinuxMarkerWatch> watches = new CopyOnWriteArrayList<>();

    void add(LinuxMarkerWatch watch) {
        watches.add(watch);
    }

    void remove(LinuxMarkerWatch watch) {
        watches.remove(watch);
    }

    /** Offers {@code text} to every watch (on the reader thread). */
    void offer(String text) {
        for (LinuxMarkerWatch w : watches) {
            w.offer(text);
        }
    }
}
