package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.gpu.api.CdiSpecOptions;
import java.nio.file.Files;
import dev.nvrc.core.io.IoReason;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code nvidia-cdi-hook} calls a spec asks the runtime to make when a container is created.
 *
 * <p>Each hook runs at {@code createContainer} with {@code NVIDIA_CTK_DEBUG=false} and the hook's
 * base name as {@code argv[0]}, as {@code nvidia-ctk} writes them.
 *
 * <p>Only subcommands the program in the image has are written, as nvidia-ctk writes only what
 * its own hook knows: an {@code nvidia-cdi-hook} older than v1.18.0 fails on a subcommand it does
 * not know, and with it every container start. The program's release is read from its build
 * information ({@link CdiHookVersion}); the release that added each subcommand is in
 * {@link Subcommand}. A program whose release cannot be read gets only the subcommands every
 * {@code nvidia-cdi-hook} has had ({@code create-symlinks}, {@code update-ldcache}).
 */
final class CdiHooks {
    static final String HOOK_NAME = "createContainer";
    static final String PROGRAM = "nvidia-cdi-hook";
    static final List<String> ENV = List.of("NVIDIA_CTK_DEBUG=false");

    /** The subcommands nvrc writes and the toolkit release that added each. */
    enum Subcommand {
        CREATE_SYMLINKS("create-symlinks", CdiHookVersion.V1_16_0),
        UPDATE_LDCACHE("update-ldcache", CdiHookVersion.V1_16_0),
        ENABLE_CUDA_COMPAT("enable-cuda-compat", CdiHookVersion.V1_17_5),
        DISABLE_DEVICE_NODE_MODIFICATION("disable-device-node-modification", CdiHookVersion.V1_18_0),
        UPDATE_APPLICATION_PROFILE("update-application-profile", CdiHookVersion.V1_20_0);

        private final String command;
        private final CdiHookVersion since;

        Subcommand(String command, CdiHookVersion since) {
            this.command = command;
            this.since = since;
        }

        /** The subcommand's name on the command line. */
        String command() {
            return command;
        }

        /** The toolkit release that added it. */
        CdiHookVersion since() {
            return since;
        }
    }

    private final String path;
    private final Optional<CdiHookVersion> version;

    CdiHooks(String path, Optional<CdiHookVersion> version) {
        this.path = path;
        this.version = version;
    }

    /**
     * The hooks of the {@code nvidia-cdi-hook} that exists at the options' hook path (or under the
     * driver root), or empty when there is none: a spec without the program must not name it.
     * A hook file that is not executable is a failure (every container start would fail).
     */
    static Optional<CdiHooks> find(NvrcPaths paths, CdiSpecOptions options) throws BootFailure {
        Optional<String> explicit = options.cdiHookPath();
        List<String> candidates = explicit.isPresent()
                ? List.of(explicit.get())
                : List.of(GuestPathStrings.join(options.driverRoot(), "/usr/bin/" + PROGRAM),
                        GuestPathStrings.join(options.driverRoot(), "/bin/" + PROGRAM));
        for (String candidate : candidates) {
            Path file = paths.resolve(candidate);
            if (Files.isRegularFile(file)) {
                if (!Files.isExecutable(file)) {
                    throw new BootFailure(candidate + " is not executable; the runtime could not run its hooks");
                }
                return Optional.of(new CdiHooks(candidate, readVersion(file, candidate)));
            }
        }
        return Optional.empty();
    }

    private static Optional<CdiHookVersion> readVersion(Path file, String guest) throws BootFailure {
        try {
            return CdiHookVersion.read(file);
        } catch (IOException e) {
            throw new BootFailure("cannot read " + guest + " to learn which hooks it has: " + IoReason.of(e), e);
        }
    }

    /** The hook program, as the runtime sees it. */
    String path() {
        return path;
    }

    /** The program's toolkit release, when its build information names one. */
    Optional<CdiHookVersion> version() {
        return version;
    }

    /** True when the program has {@code subcommand}. */
    boolean supports(Subcommand subcommand) {
        // Without a known release, only what every release has (compareTo: a record's equals
        // would be bootstrapped on first use, in the boot's fresh JVM).
        return version.isPresent()
                ? version.get().atLeast(subcommand.since())
                : subcommand.since().compareTo(CdiHookVersion.V1_16_0) == 0;
    }

    /** The subcommands nvrc writes that this program lacks, each with why, in table order. */
    List<String> leftOut() {
        List<String> out = new ArrayList<>();
        for (Subcommand s : Subcommand.values()) {
            if (!supports(s)) {
                out.add(s.command() + " (added in nvidia-container-toolkit v" + s.since() + "; " + path + " is "
                        + (version.isPresent() ? "v" + version.get() : "of an unknown release") + ")");
            }
        }
        return out;
    }

    /** {@code update-application-profile} (no arguments: the hook reads the container's devices). */
    Hook updateApplicationProfile() {
        return hook(List.of(Subcommand.UPDATE_APPLICATION_PROFILE.command()));
    }

    /** {@code create-symlinks --link <target>::<link> ...}. */
    Hook createSymlinks(List<String> links) {
        List<String> args = new ArrayList<>();
        args.add("create-symlinks");
        for (String link : links) {
            args.add("--link");
            args.add(link);
        }
        return hook(args);
    }

    /** {@code enable-cuda-compat --host-driver-version=<version>}. */
    Hook enableCudaCompat(String driverVersion) {
        return hook(List.of("enable-cuda-compat", "--host-driver-version=" + driverVersion));
    }

    /** {@code update-ldcache --folder <dir> ...}. */
    Hook updateLdcache(List<String> folders) {
        List<String> args = new ArrayList<>();
        args.add("update-ldcache");
        for (String folder : folders) {
            args.add("--folder");
            args.add(folder);
        }
        return hook(args);
    }

    /** {@code disable-device-node-modification}. */
    Hook disableDeviceNodeModification() {
        return hook(List.of("disable-device-node-modification"));
    }

    private Hook hook(List<String> subcommand) {
        List<String> args = new ArrayList<>();
        args.add(GuestPathStrings.basename(path));
        args.addAll(subcommand);
        return new Hook(HOOK_NAME, path, args, ENV);
    }
}
