package dev.nvrc.launcher.boot;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.core.system.BootMounts;
import dev.nvrc.kernel.LinuxPorts;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.plan.BootLog;
import dev.nvrc.plan.BootMachine;

/** The guest as PID 1 sees it: the Linux adapters, the kernel log, CLOCK_MONOTONIC. */
public final class LinuxBootMachine {
    private LinuxBootMachine() {}

    /** The running guest. Creating it touches nothing; each adapter checks PID 1 itself. */
    public static BootMachine create() {
        NvrcPaths paths = NvrcPaths.system();
        LinuxPorts linux = LinuxPorts.create(paths);
        // The report's clock is CLOCK_MONOTONIC (HotSpot's nanoTime on Linux): ms since the kernel
        // booted, the clock of the kernel log's timestamps, so steps line up with "Run /init".
        return new BootMachine(paths, linux.ports(), new KernelBootLog(),
                () -> System.nanoTime() / 1_000_000, System.getenv(), BootMounts.STANDARD,
                Thread::setDefaultUncaughtExceptionHandler, FailPath::parkForever, new BootMachine.Identity() {
                    @Override
                    public String version() {
                        return NvrcIdentity.runningVersion();
                    }

                    @Override
                    public String sha256() throws java.io.IOException {
                        return NvrcIdentity.running().sha256();
                    }
                });
    }

    /** {@link BootLog} over {@link KernelLog}. */
    private static final class KernelBootLog implements BootLog {
        @Override
        public void useKmsg() {
            KernelLog.useKmsg(KernelLog.DEV_KMSG);
        }

        @Override
        public void configure(LogLevel level, Sysctl sysctl) throws BootFailure {
            KernelLog.configure(level, sysctl);
        }

        @Override
        public void info(String message) {
            KernelLog.log(LogLevel.INFO, message);
        }

        @Override
        public void failureLine(String line) {
            KernelLog.writeUnconditionally(line);
        }
    }
}
