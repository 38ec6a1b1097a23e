package dev.nvrc.plan;

import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.port.MountRequest;
import dev.nvrc.core.port.Ports;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Everything {@link Boot} takes from the machine, so that the same boot runs on a guest
 * ({@link LinuxBootMachine}) and against fakes in tests.
 *
 * @param paths where the machine's files are
 * @param ports the adapters the steps use
 * @param log the kernel log
 * @param clockMs the report's clock: ms since the kernel booted on a guest
 * @param environment the init's own environment, what kata-agent inherits (less the stub's variables)
 * @param mounts the filesystems the boot mounts first, in order
 * @param uncaughtHandler installs the handler that routes every thread's escaping exception to
 *     the fail path (on a guest the JVM's default handler)
 * @param park what a thread does once its part of the boot is over: forever on a guest
 * @param identity which nvrc runs, for the report and the first log line
 */
public record BootMachine(NvrcPaths paths, Ports ports, BootLog log, LongSupplier clockMs,
        Map<String, String> environment, List<MountRequest> mounts,
        Consumer<Thread.UncaughtExceptionHandler> uncaughtHandler, Runnable park, Identity identity) {
    /** Which nvrc runs: the launcher's {@code NvrcIdentity} on a guest. */
    public interface Identity {
        /**
         * {@code nvrc version=<v> sha256=<hex>}: the first line of every boot and what
         * {@code nvrc version} prints, in one place.
         */
        static String line(String version, String sha256) {
            return "nvrc version=" + version + " sha256=" + sha256;
        }

        /** The version, cheap to read. */
        String version();

        /** The sha256 of the running jar (read and hashed on each call). */
        String sha256() throws java.io.IOException;
    }

    public BootMachine {
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(ports, "ports");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(clockMs, "clockMs");
        environment = Map.copyOf(environment);
        mounts = List.copyOf(mounts);
        Objects.requireNonNull(uncaughtHandler, "uncaughtHandler");
        Objects.requireNonNull(park, "park");
        Objects.requireNonNull(identity, "identity");
    }
}
