package dev.nvrc.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** Reads a child's merged stdout/stderr on a thread of its own, keeping the most recent lines. */
final class ChildOutputTail {
    private static final int KEPT = 200;

    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread thread;

    ChildOutputTail(Process process, Consumer<String> listener) {
        thread = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > KEPT) {
                            lines.removeFirst();
                        }
                    }
                    listener.accept(line);
                }
            } catch (IOException e) {
                // The process was killed while we read: its last lines are what we have.
            }
        }, "output of pid " + process.pid());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits briefly for the rest of the output. Bounded: a child that forked (detached) keeps the
     * pipe open after the process we started has exited.
     */
    void drain() throws InterruptedException {
        thread.join(500);
    }

    List<String> recent(int max) {
        synchronized (lines) {
            List<String> all = new ArrayList<>(lines);
            return all.subList(Math.max(0, all.size() - max), all.size());
        }
    }
}
