package dev.nvrc.kernel.process;

import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.log.KernelLog;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Reads a child's output pipe on its own thread: each line goes to the kernel log at debug level
 * (prefixed with the child's name) and into a ring for failure messages.
 */
final class OutputPump {
    /** Longer lines are cut into pieces of this many bytes. */
    static final int MAX_LINE_BYTES = 4096;
    private static final int EINTR = 4;

    private final String name;
    private final int fd;
    private final RecentLines lines;
    private final CountDownLatch eof = new CountDownLatch(1);

    private OutputPump(String name, int fd, RecentLines lines) {
        this.name = name;
        this.fd = fd;
        this.lines = lines;
    }

    /** Starts reading {@code fd} (which the pump closes at EOF). */
    static OutputPump start(String name, int fd, RecentLines lines) {
        OutputPump pump = new OutputPump(name, fd, lines);
        Thread t = new Thread(pump::run, "nvrc-output-" + name);
        t.setDaemon(true);
        t.start();
        return pump;
    }

    /** Waits up to {@code timeout} for EOF (every writer, grandchildren included, closed the pipe). */
    boolean awaitEof(Duration timeout) throws InterruptedException {
        return eof.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void run() {
        LibC libc = Native.libc();
        byte[] buffer = new byte[8192];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                int n = (int) libc.read(fd, buffer, buffer.length);
                if (n < 0 && Native.errno() == EINTR) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        emit(line);
                    } else {
                        line.write(b);
                        if (line.size() >= MAX_LINE_BYTES) {
                            emit(line);
                        }
                    }
                }
            }
            if (line.size() > 0) {
                emit(line);
            }
        } finally {
            libc.close(fd);
            eof.countDown();
        }
    }

    private void emit(ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        lines.add(text);
        KernelLog.log(LogLevel.DEBUG, name + ": " + text);
    }
}
