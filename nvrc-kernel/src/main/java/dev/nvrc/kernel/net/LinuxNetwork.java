package dev.nvrc.kernel.net;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.core.port.Network;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.libc.CheckedLibC;
import dev.nvrc.kernel.libc.Native;

/** {@link Network} with interface ioctls on an AF_INET datagram socket. */
public final class LinuxNetwork implements Network {
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    /** IFF_UP. */
    public static final int IFF_UP = 0x1;
    /** IFF_LOOPBACK. */
    public static final int IFF_LOOPBACK = 0x8;
    /** IFF_RUNNING. */
    public static final int IFF_RUNNING = 0x40;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final String LOOPBACK = "lo";

    private final Pid1Guard guard;

    /** Changes interfaces only when {@code guard} says this is PID 1. */
    public LinuxNetwork(Pid1Guard guard) {
        this.guard = guard;
    }

    @Override
    public void loopbackUp() throws BootFailure {
        guard.require("bring up the loopback interface");
        int fd = openSocket();
        try {
            InterfaceRequest ifr = new InterfaceRequest(LOOPBACK);
            ioctl(fd, SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS", LOOPBACK);
            int before = ifr.flags();
            ifr.flags(before | IFF_UP | IFF_RUNNING);
            ioctl(fd, SIOCSIFFLAGS, ifr, "SIOCSIFFLAGS", LOOPBACK);
            KernelLog.log(LogLevel.DEBUG, "loopback up (flags 0x" + Integer.toHexString(before) + " -> 0x"
                    + Integer.toHexString(ifr.flags()) + ")");
        } finally {
            Native.libc().close(fd);
        }
    }

    /** The IFF_* flags of interface {@code name} (read-only, no guard). */
    public int flags(String name) throws BootFailure {
        int fd = openSocket();
        try {
            InterfaceRequest ifr = new InterfaceRequest(name);
            ioctl(fd, SIOCGIFFLAGS, ifr, "SIOCGIFFLAGS", name);
            return ifr.flags();
        } finally {
            Native.libc().close(fd);
        }
    }

    private static int openSocket() throws BootFailure {
        return CheckedLibC.socket("socket(AF_INET, SOCK_DGRAM) for interface flags",
                AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    }

    private static void ioctl(int fd, long request, InterfaceRequest ifr, String name, String ifname) throws BootFailure {
        CheckedLibC.ioctl("ioctl " + name + " on interface " + ifname, fd, request, ifr.bytes());
    }
}
