package dev.nvrc.plan;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.core.port.Sysctl;

/** The boot's kernel log, as the boot drives it: where it goes, its level, the failure line. */
public interface BootLog {
    /** Switches from the console to /dev/kmsg, once /dev is mounted. */
    void useKmsg();

    /** Applies {@code nvrc.log} (and {@code kernel.printk_devkmsg=on} when logging is on). */
    void configure(LogLevel level, Sysctl sysctl) throws BootFailure;

    /** Writes an informational line when the level allows it. */
    void info(String message);

    /** Writes {@code line} whatever the level: the one {@code FAILED} line before the power-off. */
    void failureLine(String line);
}
