package dev.nvrc.kernel.log;

/**
 * The {@link System.LoggerFinder} service: every {@link System#getLogger} of the process (nvrc-core,
 * gpu and fabric log only through it) leads to the kernel log via tinylog.
 */
public final class KernelLoggerFinder extends System.LoggerFinder {
    /** Created by the JDK's service loader. */
    public KernelLoggerFinder() {
        super();
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new KernelSystemLogger(name);
    }
}
