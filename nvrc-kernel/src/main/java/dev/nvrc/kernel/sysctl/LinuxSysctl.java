package dev.nvrc.kernel.sysctl;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.cmdline.LogLevel;
import dev.nvrc.kernel.log.KernelLog;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.Sysctl;
import dev.nvrc.kernel.Pid1Guard;
import dev.nvrc.kernel.procfs.KernelFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@link Sysctl} over the files of /proc/sys. */
public final class LinuxSysctl implements Sysctl {
    private final Path procSys;
    private final Pid1Guard guard;

    /** Kernel parameters under {@code paths}' /proc/sys; writes only when {@code guard} says PID 1. */
    public LinuxSysctl(NvrcPaths paths, Pid1Guard guard) {
        this.procSys = paths.resolve("/proc/sys");
        this.guard = guard;
    }

    @Override
    public void write(String key, String value) throws BootFailure {
        Path file = SysctlKey.file(procSys, key);
        guard.require("set sysctl " + key);
        try {
            KernelFile.write(file, value);
        } catch (IOException e) {
            throw new BootFailure("sysctl " + key + ": cannot write '" + value.strip() + "' to " + file + ": " + reason(e), e);
        }
        KernelLog.log(LogLevel.DEBUG, "sysctl " + key + " = " + value.strip());
    }

    @Override
    public boolean writeIfPresent(String key, String value) throws BootFailure {
        Path file = SysctlKey.file(procSys, key);
        guard.require("set sysctl " + key);
        try {
            KernelFile.write(file, value);
        } catch (NoSuchFileException e) {
            KernelLog.log(LogLevel.DEBUG, "sysctl " + key + ": absent in this kernel, not written");
            return false;
        } catch (IOException e) {
            if (e instanceof java.io.FileNotFoundException && !java.nio.file.Files.exists(file)) {
                KernelLog.log(LogLevel.DEBUG, "sysctl " + key + ": absent in this kernel, not written");
                return false;
            }
            throw new BootFailure("sysctl " + key + ": cannot write '" + value.strip() + "' to " + file + ": " + reason(e), e);
        }
        KernelLog.log(LogLevel.DEBUG, "sysctl " + key + " = " + value.strip());
        return true;
    }

    @Override
    public String read(String key) throws BootFailure {
        Path file = SysctlKey.file(procSys, key);
        try {
            return KernelFile.read(file).trim();
        } catch (IOException e) {
            throw new BootFailure("sysctl " + key + ": cannot read " + file + ": " + reason(e), e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such parameter in this kernel";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        // FileOutputStream reports "<path> (<strerror>)": keep the reason, the path is already named.
        int open = message.lastIndexOf(" (");
        if (e instanceof java.io.FileNotFoundException && open >= 0 && message.endsWith(")")) {
            return message.substring(open + 2, message.length() - 1);
        }
        return message;
    }
}
