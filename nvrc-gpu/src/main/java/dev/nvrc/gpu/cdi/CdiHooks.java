package dev.nvrc.gpu.cdi;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.NvrcPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code nvidia-cdi-hook} calls a spec asks the runtime to make when a container is created.
 *
 * <p>Each hook runs at {@code createContainer} with {@code NVIDIA_CTK_DEBUG=false} and the hook's
 * base name as {@code argv[0]}, as {@code nvidia-ctk} writes them.
 */
final class CdiHooks {
    static final String HOOK_NAME = "createContainer";
    static final String PROGRAM = "nvidia-cdi-hook";
    static final List<String> ENV = List.of("NVIDIA_CTK_DEBUG=false");

    private final String path;

    private CdiHooks(String path) {
        this.path = path;
    }

    /**
     * The hooks of the {@code nvidia-cdi-hook} that exists at the options' hook path (or under the
     * driver root), or empty when there is none: a spec without the program must not name it.
     * A hook file that is not executable is a failure (every container start would fail).
     */
    static Optional<CdiHooks> find(NvrcPaths paths, CdiOptions options) throws BootFailure {
        List<String> candidates = options.explicitCdiHookPath()
                .map(List::of)
                .orElseGet(() -> List.of(
                        GuestPaths.join(options.driverRoot(), "/usr/bin/" + PROGRAM),
                        GuestPaths.join(options.driverRoot(), "/bin/" + PROGRAM)));
        for (String candidate : candidates) {
            Path file = paths.resolve(candidate);
            if (Files.isRegularFile(file)) {
                if (!Files.isExecutable(file)) {
                    throw new BootFailure(candidate + " is not executable; the runtime could not run its hooks");
                }
                return Optional.of(new CdiHooks(candidate));
            }
        }
        return Optional.empty();
    }

    /** The hook program, as the runtime sees it. */
    String path() {
        return path;
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
        args.add(GuestPaths.basename(path));
        args.addAll(subcommand);
        return new Hook(HOOK_NAME, path, args, ENV);
    }
}
