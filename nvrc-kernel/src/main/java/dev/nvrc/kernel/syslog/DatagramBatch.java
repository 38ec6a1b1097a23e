package dev.nvrc.kernel.syslog;

import com.kenai.jffi.MemoryIO;
import com.kenai.jffi.Platform;
import dev.nvrc.kernel.libc.LibC;

/**
 * Up to {@link #capacity()} datagrams received by one recvmmsg(2) call into native memory, each
 * with its length and its sender's address.
 *
 * <p>Why not recvfrom(2) into a byte array: the binding copies an array it passes whole on every
 * call (allocate, copy back), so a 64 KiB buffer cost ~170 µs a datagram on an emulated CPU
 * however short the line was, where this costs one call a batch and copies only the bytes that came
 * (docs/performance.md, "Chatty readiness"). A daemon's backlog of a thousand lines ahead of its
 * readiness marker is the case that matters.
 *
 * <p>The block comes from malloc(3), once, and is never cleared: the kernel writes what it reports,
 * and this class reads no more than that, so pages no datagram reached never become resident.
 * Not jnr-ffi's {@code Memory.allocateDirect}: its finalizer machinery (a reference queue thread
 * and java.util.logging, about 50 classes) cost the boot's syslog step 30 ms under TCG. Reads and
 * writes of the block go through jffi's {@link MemoryIO}. The owner
 * frees the block with {@link #close()} once nothing can receive into it any more. The layouts
 * are those of LP64 Linux (x86_64 and aarch64, the architectures nvrc runs on).
 */
final class DatagramBatch implements AutoCloseable {
    /** recvmmsg: block for the first datagram, then take only what is already queued. */
    private static final int MSG_WAITFORONE = 0x10000;
    // struct msghdr (56 bytes) at the start of struct mmsghdr, followed by msg_len.
    private static final int MSG_NAME = 0;
    private static final int MSG_NAMELEN = 8;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int MSG_FLAGS = 48;
    private static final int MSG_LEN = 56;
    private static final int MMSGHDR_SIZE = 64;
    // struct iovec
    private static final int IOV_BASE = 0;
    private static final int IOV_LEN = 8;
    private static final int IOVEC_SIZE = 16;
    /** sizeof(struct sockaddr_un), rounded up to keep the slots 8-byte aligned. */
    private static final int NAME_STRIDE = 112;

    private static final MemoryIO MEMORY = MemoryIO.getInstance();

    private final LibC libc;
    /** The block's address. */
    private final long memory;
    private final int capacity;
    private final int datagramBytes;
    private final long names;
    private final long buffers;

    private boolean freed;

    /**
     * A batch of {@code capacity} slots of {@code datagramBytes} each, in memory {@code libc}
     * allocates.
     *
     * @throws IllegalStateException on a platform whose addresses are not 64-bit, or when malloc fails
     */
    DatagramBatch(LibC libc, int capacity, int datagramBytes) {
        int addressBits = Platform.getPlatform().addressSize();
        if (addressBits != 64) {
            throw new IllegalStateException("recvmmsg layout: 64-bit Linux only, this platform has "
                    + addressBits + "-bit addresses");
        }
        if (capacity < 1 || datagramBytes < 1) {
            throw new IllegalArgumentException("datagram batch of " + capacity + " x " + datagramBytes + " bytes");
        }
        this.capacity = capacity;
        this.datagramBytes = datagramBytes;
        long iovecs = (long) capacity * MMSGHDR_SIZE;
        this.names = iovecs + (long) capacity * IOVEC_SIZE;
        this.buffers = names + (long) capacity * NAME_STRIDE;
        long size = buffers + (long) capacity * datagramBytes;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("datagram batch of " + size + " bytes");
        }
        this.libc = libc;
        this.memory = libc.malloc(size);
        if (memory == 0) {
            throw new IllegalStateException("malloc(" + size + ") failed");
        }
        for (int i = 0; i < capacity; i++) {
            long header = header(i);
            long iovec = memory + iovecs + (long) i * IOVEC_SIZE;
            MEMORY.putLong(iovec + IOV_BASE, buffer(i));
            MEMORY.putLong(iovec + IOV_LEN, datagramBytes);
            MEMORY.putLong(header + MSG_NAME, name(i));
            MEMORY.putLong(header + MSG_IOV, iovec);
            MEMORY.putLong(header + MSG_IOVLEN, 1);
            MEMORY.putLong(header + MSG_CONTROL, 0);
            MEMORY.putLong(header + MSG_CONTROLLEN, 0);
            MEMORY.putInt(header + MSG_FLAGS, 0);
        }
    }

    /** How many datagrams one {@link #receive} can return. */
    int capacity() {
        return capacity;
    }

    /**
     * Blocks until at least one datagram is queued on {@code fd}, then receives it and whatever else
     * is queued, up to {@link #capacity()}. Returns how many, or -1 with errno set.
     */
    int receive(int fd) {
        for (int i = 0; i < capacity; i++) {
            // The kernel writes each sender's length back; it goes in as the room there is.
            MEMORY.putInt(header(i) + MSG_NAMELEN, StdioSocket.SOCKADDR_UN_SIZE);
        }
        return libc.recvmmsg(fd, memory, capacity, MSG_WAITFORONE, 0L);
    }

    /** The length of datagram {@code i} of the last batch (at most the slot size: longer ones are cut). */
    int length(int i) {
        return (int) Math.min(Integer.toUnsignedLong(MEMORY.getInt(header(i) + MSG_LEN)), datagramBytes);
    }

    /** The length of the sender address of datagram {@code i} (0 for an unbound sender). */
    int senderLength(int i) {
        return Math.min(MEMORY.getInt(header(i) + MSG_NAMELEN), StdioSocket.SOCKADDR_UN_SIZE);
    }

    /** Copies the first {@code length} bytes of datagram {@code i} into {@code target}. */
    void copyData(int i, byte[] target, int length) {
        MEMORY.getByteArray(buffer(i), target, 0, length);
    }

    /** Copies the first {@code length} bytes of the sender address of datagram {@code i} into {@code target}. */
    void copySender(int i, byte[] target, int length) {
        MEMORY.getByteArray(name(i), target, 0, length);
    }

    /** The address of slot {@code i}'s {@code struct mmsghdr}. */
    private long header(int i) {
        return memory + (long) i * MMSGHDR_SIZE;
    }

    /** The address of slot {@code i}'s datagram buffer. */
    private long buffer(int i) {
        return memory + buffers + (long) i * datagramBytes;
    }

    /** The address of slot {@code i}'s sender address. */
    private long name(int i) {
        return memory + names + (long) i * NAME_STRIDE;
    }

    /** Frees the memory; only once no thread can be in {@link #receive} any more. */
    @Override
    public synchronized void close() {
        if (!freed) {
            freed = true;
            libc.free(memory);
        }
    }
}
