package dev.nvrc.core;

import dev.nvrc.core.api.NvrcException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The root of a machine or image tree as a library call was given it: every {@code api} call that
 * reads a tree opens it here, so that each refuses the same roots with the same words and each
 * error names the tree as the caller wrote it. A caller with several roots open can then tell
 * which one failed, whichever module's call it was.
 *
 * <p>A root must be a directory with a {@code sys} directory: a mistyped root would otherwise read
 * as a machine without PCI devices (mode {@code cpu}), which is a wrong answer, not an error.
 * The boot uses {@link NvrcPaths} directly: a guest's {@code /} always has {@code /sys} mounted
 * by then; {@code nvrc plan --root} opens its root here too.
 */
public final class GivenRoot {
    private final Path given;
    private final NvrcPaths paths;

    private GivenRoot(Path given) {
        this.given = given;
        this.paths = NvrcPaths.under(given);
    }

    /**
     * Opens {@code root} after checking it is a directory with a {@code sys} directory.
     *
     * @throws NvrcException naming {@code root} as given and what is wrong with it: the api's one
     *     exception, so that every api call (and {@code nvrc plan --root}) throws it as it is
     */
    public static GivenRoot open(Path root) throws NvrcException {
        Objects.requireNonNull(root, "root");
        GivenRoot opened = new GivenRoot(root);
        if (!Files.isDirectory(root)) {
            throw new NvrcException(opened.prefix() + (Files.exists(root) ? "not a directory" : "no such directory"));
        }
        if (!Files.isDirectory(opened.paths.sys())) {
            throw new NvrcException(opened.prefix() + "no sys directory: not the root of a machine or image tree");
        }
        return opened;
    }

    /** The paths under the root. */
    public NvrcPaths paths() {
        return paths;
    }

    /**
     * {@code message} of a failure under this root as the caller should read it: prefixed with the
     * root as given, and with host paths under the root shown as guest paths (the readers name
     * host paths, the CDI generator guest paths; this way both read alike).
     */
    public String explain(String message) {
        String hostRoot = paths.root().toString();
        String shown = hostRoot.equals("/") ? message : message.replace(hostRoot + "/", "/");
        return prefix() + shown;
    }

    private String prefix() {
        return "under " + given + ": ";
    }
}
