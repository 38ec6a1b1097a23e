package dev.nvrc.kernel.syslog;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.port.SyslogSink;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.init.InheritedFds;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.ErrnoText;
import dev.nvrc.kernel.libc.LibC;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.support.RecentLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link SyslogSink} on a unix datagram socket, made with socket(2) and bind(2) through the libc
 * binding (the JDK has no AF_UNIX datagrams; jnr-unixsocket would add its own native set-up to the
 * boot's critical path for the same three calls).
 *
 * <p>One reader thread blocks in recvmmsg(2) and handles each datagram as it arrives: it cleans the
 * text, resolves marker watches, remembers the message, tells the listeners (daemon output
 * routing) and queues it for the kernel log. Nothing on that path blocks, so the socket is drained
 * as fast as daemons write; only kernel-log forwarding can fall behind, and it drops and counts
 * instead of stalling.
 *
 * <p>The reader is stopped with a control datagram sent to the socket itself (a nonce only this
 * sink knows), never by closing the descriptor: at the handoff the still-open socket, with every
 * datagram queued behind the stop message, goes to the syslog drainer across execve.
 */
public final class LinuxSyslogSink implements SyslogSink, AutoCloseable {
    /** The guest's syslog socket. */
    public static final Path DEV_LOG = Path.of("/dev/log");
    /**
     * The net.unix.max_dgram_qlen the boot sets before binding. The kernel default of 10 queued
     * datagrams makes a burst of daemon log lines block the daemons; the queue length is copied
     * into a socket when it is created, so this must happen before {@link #open()}.
     */
    public static final int BOOT_MAX_DGRAM_QLEN = 4096;
    private static final String QLEN_KEY = "net.unix.max_dgram_qlen";
    private static final int EINTR = 4;
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVBUF = 8;
    private static final int CLOSED = -1;
    /**
     * Datagrams one receive call can return. 16 slots of 64 KiB are 1 MiB of address space, of
     * which only the pages datagrams reach become resident.
     */
    private static final int BATCH_DATAGRAMS = 16;
    /** Consecutive receive errors after which the reader gives up. */
    private static final int MAX_CONSECUTIVE_ERRORS = 100;

    private final Path path;
    private final Pid1Guard guard;
    private final SyslogOptions options;
    private final RecentLines recent;
    private final KmsgForwarder forwarder;
    private final List<LinuxMarkerWatch> watches = new CopyOnWriteArrayList<>();
    private final List<Consumer<SyslogMessage>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong receiveErrors = new AtomicLong();
    private final Map<Long, CountDownLatch> barriers = new ConcurrentHashMap<>();
    private final AtomicLong controlSequence = new AtomicLong();
    private final byte[] controlPrefix;
    /** The bound socket, or {@link #CLOSED}. */
    private volatile int socket = CLOSED;
    private volatile Thread reader;
    /** The reader's receive memory, freed at {@link #close()} once the reader has stopped. */
    private DatagramBatch batch;

    /** A sink for {@code path}, not bound yet (see {@link #open()}). */
    public LinuxSyslogSink(Path path, Pid1Guard guard, SyslogOptions options) {
        this.path = path.toAbsolutePath().normalize();
        this.guard = guard;
        this.options = options;
        this.recent = new RecentLines(options.recentMessages());
        this.forwarder = new KmsgForwarder(options.forwardQueue());
        // Not secret, only unique: SecureRandom could block on an entropy-starved early-boot VM.
        this.controlPrefix = ("\0nvrc-syslog-control:" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ":")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Raises net.unix.max_dgram_qlen to at least {@code length} (call before {@link #open()}: a
     * socket keeps the value it was created with).
     */
    public static void raiseQueueLength(Sysctl sysctl, int length) throws BootFailure {
        String current = sysctl.read(QLEN_KEY);
        try {
            if (Long.parseLong(current) >= length) {
                return;
            }
        } catch (NumberFormatException e) {
            throw new BootFailure("sysctl " + QLEN_KEY + ": expected a number, read '" + current + "'", e);
        }
        sysctl.write(QLEN_KEY, Integer.toString(length));
    }

    /** The socket path. */
    public Path path() {
        return path;
    }

    /**
     * Binds the socket (mode 0666, so daemons running under a service account can log too), sets a
     * large SO_RCVBUF and starts the reader. Binding the guest's /dev/log requires PID 1; a socket
     * elsewhere (tests) does not. An existing file at the path is a failure, never removed.
     */
    public synchronized void open() throws BootFailure {
        if (socket != CLOSED) {
            throw new IllegalStateException("syslog sink already open at " + path);
        }
        if (path.equals(DEV_LOG)) {
            guard.require("bind " + DEV_LOG);
        }
        CheckedLibC checked = CheckedLibC.system();
        LibC libc = checked.unchecked();
        int fd = checked.socket("syslog: cannot create a unix datagram socket", AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            byte[] address = StdioSocket.pathAddress(path.toString());
            checked.bind("syslog: cannot bind " + path, fd, address, address.length);
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
            // The kernel caps it at net.core.rmem_max without complaint.
            if (options.receiveBufferBytes() > 0) {
                checked.setsockopt("syslog: cannot set SO_RCVBUF on " + path, fd, SOL_SOCKET, SO_RCVBUF,
                        new int[] {options.receiveBufferBytes()}, Integer.BYTES);
            }
        } catch (BootFailure e) {
            libc.close(fd);
            throw e;
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw new BootFailure("syslog: cannot bind " + path + ": " + e.getMessage(), e);
        }
        DatagramBatch received;
        try {
            received = new DatagramBatch(libc, BATCH_DATAGRAMS, options.maxDatagramBytes());
        } catch (RuntimeException e) {
            libc.close(fd);
            throw new BootFailure("syslog: cannot allocate the receive buffers of " + path + ": " + e.getMessage(), e);
        }
        socket = fd;
        batch = received;
        forwarder.start();
        Thread t = new Thread(() -> readLoop(fd, received), "nvrc-syslog");
        t.setDaemon(true);
        reader = t;
        t.start();
        KernelLog.log(LogLevel.DEBUG, "syslog: listening on " + path + " (fd " + fd + ")");
    }

    /** True while the reader thread runs. */
    public boolean isReading() {
        Thread t = reader;
        return t != null && t.isAlive();
    }

    @Override
    public MarkerWatch watch(String marker) {
        LinuxMarkerWatch w = new LinuxMarkerWatch(marker, this);
        watches.add(w);
        return w;
    }

    void remove(LinuxMarkerWatch watch) {
        watches.remove(watch);
    }

    @Override
    public List<String> recentMessages(int max) {
        return recent.last(max);
    }

    /** Calls {@code listener} on the reader thread for every message; it must not block. */
    public void addListener(Consumer<SyslogMessage> listener) {
        listeners.add(listener);
    }

    /**
     * A socket for a daemon's stdout and stderr whose datagrams this sink credits to
     * {@code daemon} ({@link StdioSocket}), or -1 while the sink does not read (not open yet, or
     * stopped for the handoff): the caller then falls back to its own choice.
     */
    public int openStdio(String daemon) throws BootFailure {
        if (!isReading()) {
            return -1;
        }
        return StdioSocket.open(path, daemon);
    }

    /** The socket's file descriptor (for the handoff to the syslog drainer). */
    public int fd() {
        int fd = socket;
        if (fd == CLOSED) {
            throw new IllegalStateException("syslog sink not open");
        }
        return fd;
    }

    /** Lets the socket survive execve: clears FD_CLOEXEC and registers it with {@link InheritedFds}. */
    public void clearCloseOnExec() throws BootFailure {
        InheritedFds.keep(fd());
    }

    /**
     * Stops the reader thread without closing the socket: datagrams queued behind the stop message
     * stay queued for whoever holds the descriptor next, except those the reader received in the
     * same batch, which it handles first. Messages already read are still written to the kernel
     * log. Returns false when the reader did not stop within a second.
     */
    public boolean stopReader() {
        Thread t = reader;
        if (t == null || !t.isAlive()) {
            forwarder.stop(500);
            return true;
        }
        boolean stopped = sendControl(new byte[] {'S'}) && join(t, 1000);
        forwarder.stop(500);
        if (!stopped) {
            KernelLog.log(LogLevel.WARN, "syslog: the reader of " + path + " did not stop");
        }
        return stopped;
    }

    /**
     * Waits until the reader has handled every datagram queued before this call (a barrier
     * datagram goes to the back of the socket's queue). Returns false when the reader does not
     * run or did not get there within {@code timeout}.
     */
    public boolean sync(Duration timeout) {
        if (!isReading()) {
            return false;
        }
        long sequence = controlSequence.incrementAndGet();
        CountDownLatch latch = new CountDownLatch(1);
        barriers.put(sequence, latch);
        try {
            byte[] body = ("B" + sequence).getBytes(StandardCharsets.US_ASCII);
            return sendControl(body) && latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            barriers.remove(sequence);
        }
    }

    /** The counters since {@link #open()}. */
    public SyslogStats stats() {
        return new SyslogStats(received.get(), forwarder.forwarded(), forwarder.dropped(), receiveErrors.get());
    }

    /** Stops the reader and closes the socket; the socket file stays. */
    @Override
    public synchronized void close() {
        boolean stopped = stopReader();
        int fd = socket;
        socket = CLOSED;
        reader = null;
        if (fd != CLOSED) {
            InheritedFds.release(fd);
            Native.libc().close(fd);
        }
        // A reader that did not stop may still be receiving into it: then the process keeps it.
        if (batch != null && stopped) {
            batch.close();
        }
        batch = null;
    }

    /**
     * Receives in batches ({@link DatagramBatch}) and handles each datagram in the order it came.
     * The sender's address tells a daemon's stdout/stderr ({@link StdioSocket}) from syslog(3)
     * datagrams. A stop message ends the loop after the rest of its batch is handled: what the
     * kernel already gave the reader must not be lost to the drainer.
     */
    private void readLoop(int fd, DatagramBatch batch) {
        byte[] bytes = new byte[options.maxDatagramBytes()];
        byte[] sender = new byte[StdioSocket.SOCKADDR_UN_SIZE];
        int consecutiveErrors = 0;
        while (true) {
            int count = batch.receive(fd);
            if (count < 0) {
                int errno = Native.errno();
                if (socket != fd) {
                    return;
                }
                if (errno == EINTR) {
                    continue;
                }
                receiveErrors.incrementAndGet();
                if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                    KernelLog.log(LogLevel.ERROR, "syslog: giving up reading " + path + " after "
                            + consecutiveErrors + " errors in a row: " + ErrnoText.of(errno));
                    return;
                }
                continue;
            }
            consecutiveErrors = 0;
            boolean stop = false;
            for (int i = 0; i < count; i++) {
                int length = batch.length(i);
                batch.copyData(i, bytes, length);
                if (isControl(bytes, length)) {
                    stop |= handleControl(bytes, length);
                    continue;
                }
                int senderLength = batch.senderLength(i);
                String stdio = null;
                if (senderLength > 2) {
                    batch.copySender(i, sender, senderLength);
                    stdio = StdioSocket.daemonOf(sender, senderLength);
                }
                if (stdio != null) {
                    handleOutput(stdio, new String(bytes, 0, length, StandardCharsets.UTF_8));
                } else {
                    handle(SyslogText.clean(bytes, length), null);
                }
            }
            if (stop) {
                return;
            }
        }
    }

    /** What a daemon wrote to stdout or stderr: each line a message credited to it. */
    private void handleOutput(String daemon, String written) {
        for (String line : written.split("\r?\n")) {
            String text = SyslogText.trimTrailingWhitespace(line);
            if (!text.isBlank()) {
                handle(text, new SyslogMessage(text, daemon, 0));
            }
        }
    }

    /** Records the message everywhere first and resolves watches last: a woken waiter sees it all. */
    private void handle(String text, SyslogMessage parsed) {
        received.incrementAndGet();
        recent.add(text);
        if (!listeners.isEmpty()) {
            SyslogMessage message = parsed != null ? parsed : SyslogMessage.parse(text);
            for (Consumer<SyslogMessage> l : listeners) {
                try {
                    l.accept(message);
                } catch (RuntimeException e) {
                    // A broken listener must not stop the reader.
                    KernelLog.log(LogLevel.WARN, "syslog: listener failed", e);
                }
            }
        }
        for (LinuxMarkerWatch w : watches) {
            w.offer(text);
        }
        forwarder.offer(text);
    }

    private boolean isControl(byte[] bytes, int n) {
        return n > controlPrefix.length
                && Arrays.equals(bytes, 0, controlPrefix.length, controlPrefix, 0, controlPrefix.length);
    }

    /** Returns true when the reader must stop. */
    private boolean handleControl(byte[] bytes, int n) {
        String body = new String(bytes, controlPrefix.length, n - controlPrefix.length, StandardCharsets.US_ASCII);
        if (body.equals("S")) {
            return true;
        }
        if (body.startsWith("B")) {
            try {
                CountDownLatch latch = barriers.get(Long.parseLong(body.substring(1)));
                if (latch != null) {
                    latch.countDown();
                }
            } catch (NumberFormatException e) {
                // not ours after all
            }
        }
        return false;
    }

    private boolean sendControl(byte[] body) {
        byte[] datagram = Arrays.copyOf(controlPrefix, controlPrefix.length + body.length);
        System.arraycopy(body, 0, datagram, controlPrefix.length, body.length);
        CheckedLibC libc = CheckedLibC.system();
        String what = "syslog: cannot send a control message to " + path;
        try {
            int sender = libc.socket(what + ": socket", AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            try {
                byte[] address = StdioSocket.pathAddress(path.toString());
                libc.sendto(what, sender, datagram, datagram.length, 0, address, address.length);
                return true;
            } finally {
                libc.unchecked().close(sender);
            }
        } catch (BootFailure e) {
            KernelLog.log(LogLevel.WARN, e.getMessage());
            return false;
        }
    }

    private static boolean join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
