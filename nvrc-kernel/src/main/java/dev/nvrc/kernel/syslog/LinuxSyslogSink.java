package dev.nvrc.kernel.syslog;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.MarkerWatch;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.port.SyslogSink;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.init.InheritedFds;
import dev.nvrc.kernel.libc.Native;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.kernel.process.RecentLines;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link SyslogSink} on a unix datagram socket ({@link SyslogSocket}), one class per job behind
 * it: one reader thread ({@link SyslogReader}) blocks in recvmmsg(2) and hands each datagram to
 * {@link MessageDispatch}, which counts it, remembers it
 * ({@link RecentLines}), tells the listeners (daemon output routing), resolves marker watches
 * ({@link MarkerRegistry}) and queues it for the kernel log ({@link KmsgForwarder}). Nothing on
 * that path blocks, so the socket is drained as fast as daemons write; only kernel-log forwarding
 * can fall behind, and it drops and counts instead of stalling.
 *
 * <p>The reader is stopped with a control datagram sent to the socket itself
 * ({@link ControlMessages}), never by closing the descriptor: at the handoff the still-open
 * socket, with every datagram queued behind the stop message, goes to the syslog drainer across
 * execve.
 */
public final class LinuxSyslogSink implements SyslogSink, AutoCloseable {
    /** The guest's syslog socket. */
    public static final Path DEV_LOG = Path.of("/dev/log");
    /** {@link SyslogSink#BOOT_MAX_DGRAM_QLEN}: raised before {@link #open()}. */
    public static final int BOOT_MAX_DGRAM_QLEN = SyslogSocket.BOOT_MAX_DGRAM_QLEN;
    private static final int CLOSED = -1;
    /**
     * Datagrams one receive call can return. 16 slots of 64 KiB are 1 MiB of address space, of
     * which only the pages datagrams reach become resident.
     */
    private static final int BATCH_DATAGRAMS = 16;

    private final Path path;
    private final Pid1Guard guard;
    private final SyslogOptions options;
    /** Where {@link #bind()} raises the queue length, or null: left as the kernel has it. */
    private final Sysctl queueLength;
    private final RecentLines recent;
    private final KmsgForwarder forwarder;
    private final MarkerRegistry markers = new MarkerRegistry();
    private final MessageDispatch dispatch;
    private final ControlMessages control;
    private final AtomicLong receiveErrors = new AtomicLong();
    /** The bound socket, or {@link #CLOSED}. */
    private volatile int socket = CLOSED;
    private volatile Thread reader;
    /** The reader's receive memory, freed at {@link #close()} once the reader has stopped. */
    private DatagramBatch batch;

    /**
     * A sink for {@code path}, not bound yet (see {@link #open()}), whose {@link #bind()} leaves
     * net.unix.max_dgram_qlen as it is.
     */
    public LinuxSyslogSink(Path path, Pid1Guard guard, SyslogOptions options) {
        this(path, guard, options, null);
    }

    /**
     * A sink for {@code path}, not bound yet, whose {@link #bind()} first raises
     * net.unix.max_dgram_qlen through {@code queueLength} (the boot's).
     */
    public LinuxSyslogSink(Path path, Pid1Guard guard, SyslogOptions options, Sysctl queueLength) {
        this.path = path.toAbsolutePath().normalize();
        this.guard = guard;
        this.options = options;
        this.queueLength = queueLength;
        this.recent = new RecentLines(options.recentMessages());
        this.forwarder = new KmsgForwarder(options.forwardQueue());
        this.dispatch = new MessageDispatch(recent, markers, forwarder);
        this.control = new ControlMessages(this.path);
    }

    /**
     * Raises net.unix.max_dgram_qlen to at least {@code length} (call before {@link #open()}: a
     * socket keeps the value it was created with).
     */
    public static void raiseQueueLength(Sysctl sysctl, int length) throws BootFailure {
        SyslogSocket.raiseQueueLength(sysctl, length);
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
        int fd = SyslogSocket.bind(path, options.receiveBufferBytes());
        DatagramBatch received;
        try {
            received = new DatagramBatch(Native.libc(), BATCH_DATAGRAMS, options.maxDatagramBytes());
        } catch (RuntimeException e) {
            Native.libc().close(fd);
            throw new BootFailure("syslog: cannot allocate the receive buffers of " + path + ": " + e.getMessage(), e);
        }
        socket = fd;
        batch = received;
        forwarder.start();
        reader = new SyslogReader(path, fd, received, options.maxDatagramBytes(), control, dispatch,
                () -> socket, receiveErrors).start();
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
        markers.add(w);
        return w;
    }

    void remove(LinuxMarkerWatch watch) {
        markers.remove(watch);
    }

    @Override
    public List<String> recentMessages(int max) {
        return recent.last(max);
    }

    /** Calls {@code listener} on the reader thread for every message; it must not block. */
    public void addListener(Consumer<SyslogMessage> listener) {
        dispatch.addListener(listener);
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

    @Override
    public void bind() throws BootFailure {
        if (queueLength != null) {
            raiseQueueLength(queueLength, BOOT_MAX_DGRAM_QLEN);
        }
        open();
    }

    /**
     * {@link #stopReader()}, then {@link #clearCloseOnExec()}: the descriptor for the drainer. A
     * reader that does not stop within its second is left behind; execve ends it with the JVM.
     */
    @Override
    public int releaseToDrainer() throws BootFailure {
        stopReader();
        clearCloseOnExec();
        return fd();
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
        boolean stopped = control.sendStop() && join(t, 1000);
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
        return isReading() && control.barrier(timeout);
    }

    /** The counters since {@link #open()}. */
    public SyslogStats stats() {
        return new SyslogStats(dispatch.received(), forwarder.forwarded(), forwarder.dropped(), receiveErrors.get());
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

    private static boolean join(Thread t, long millis) {
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !t.isAlive();
    }
}
