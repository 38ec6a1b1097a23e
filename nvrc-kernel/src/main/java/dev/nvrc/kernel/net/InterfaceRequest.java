package dev.nvrc.kernel.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A {@code struct ifreq} for the SIOCGIFFLAGS/SIOCSIFFLAGS ioctls: the interface name in the first
 * 16 bytes (IFNAMSIZ, NUL-terminated), the {@code short ifr_flags} right after it, 40 bytes in all
 * on 64-bit Linux.
 */
final class InterfaceRequest {
    static final int IFNAMSIZ = 16;
    static final int SIZE = 40;

    private final byte[] bytes = new byte[SIZE];

    InterfaceRequest(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("interface name must be 1-15 bytes: '" + name + "'");
        }
        System.arraycopy(n, 0, bytes, 0, n.length);
    }

    /** The buffer handed to ioctl(2). */
    byte[] bytes() {
        return bytes;
    }

    /** ifr_flags (an unsigned short). */
    int flags() {
        return view().getShort(IFNAMSIZ) & 0xffff;
    }

    void flags(int flags) {
        view().putShort(IFNAMSIZ, (short) flags);
    }

    private ByteBuffer view() {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }
}
