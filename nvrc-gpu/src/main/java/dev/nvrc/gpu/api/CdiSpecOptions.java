package dev.nvrc.gpu.api;

import dev.nvrc.core.Arch;
import dev.nvrc.core.GivenRoot;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.gpu.cdi.CdiSteps;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a guest's NVIDIA files are, as guest paths: the same meaning as {@code nvidia-ctk}'s
 * {@code --driver-root}, {@code --dev-root} and {@code --nvidia-cdi-hook-path}. A file found under
 * a driver root other than {@code /} is mounted from its full path and appears in the container
 * without the root ({@code /run/kata-extensions/gpu/bin/nvidia-smi} becomes
 * {@code /bin/nvidia-smi}); likewise a device node under a dev root other than {@code /} gets that
 * full path as its {@code hostPath}. The driver's libraries are looked for in the multiarch
 * directories of one architecture: the running JVM's unless {@link #withArchitecture} names
 * another (an image of another machine). The init's own CDI step generates with these options.
 * Immutable (its fields are final and hold immutable values); the {@code with} methods return a
 * copy. So an instance may be shared between threads.
 */
public final class CdiSpecOptions {
    private final String driverRoot;
    private final String devRoot;
    /** The explicit {@code nvidia-cdi-hook}, or null: looked for under the driver root. */
    private final String cdiHookPath;
    /** An internal type, so private: the api shows it by name ({@link #architecture()}). */
    private final Arch arch;

    /** Takes normalized absolute paths: the {@code with} methods check and normalize what they are given. */
    private CdiSpecOptions(String driverRoot, String devRoot, String cdiHookPath, Arch arch) {
        this.driverRoot = driverRoot;
        this.devRoot = devRoot;
        this.cdiHookPath = cdiHookPath;
        this.arch = arch;
    }

    /**
     * Everything in its usual place: the driver's files and device nodes under {@code /}, the
     * hook looked for as {@code /usr/bin/nvidia-cdi-hook}, then {@code /bin/nvidia-cdi-hook}.
     *
     * @return the default options
     */
    public static CdiSpecOptions defaults() {
        return new CdiSpecOptions("/", "/", null, Arch.current());
    }

    /**
     * The Kata {@code gpu} guest extension: the driver's files under
     * {@code /run/kata-extensions/gpu}, device nodes in the guest's {@code /dev}, the extension's
     * {@code bin/nvidia-cdi-hook} (upstream's {@code nvidia-ctk} flags).
     *
     * @return the options of a composable image
     */
    public static CdiSpecOptions kataGpuExtension() {
        GuestLayout gpu = GuestLayout.gpuExtension();
        return new CdiSpecOptions(gpu.driverRoot(), "/", gpu.path("/bin/nvidia-cdi-hook"), Arch.current());
    }

    /**
     * The options of the tree at {@code root} as {@code nvrc cdi --root} picks them: the Kata
     * {@code gpu} extension when {@code root/run/kata-extensions/gpu} is a directory, the
     * defaults otherwise.
     *
     * @param root the root of an unpacked image or running guest (host path)
     * @return the options for that tree
     * @throws NvrcException when {@code root} is not a directory or has no {@code sys} directory,
     *     as every api call that reads a tree refuses it ({@code under <root>: ...})
     */
    public static CdiSpecOptions detect(Path root) throws NvrcException {
        return CdiSteps.options(GuestLayout.detect(GivenRoot.open(root).paths()));
    }

    /**
     * These options with another driver root.
     *
     * @param guestPath the directory the driver's user-space files are installed under
     * @return a copy with that driver root
     * @throws NvrcException when {@code guestPath} is not an absolute path
     */
    public CdiSpecOptions withDriverRoot(String guestPath) throws NvrcException {
        return new CdiSpecOptions(normalize("driver root", guestPath), devRoot, cdiHookPath, arch);
    }

    /**
     * These options with another dev root.
     *
     * @param guestPath the directory whose {@code dev/} holds the device nodes
     * @return a copy with that dev root
     * @throws NvrcException when {@code guestPath} is not an absolute path
     */
    public CdiSpecOptions withDevRoot(String guestPath) throws NvrcException {
        return new CdiSpecOptions(driverRoot, normalize("dev root", guestPath), cdiHookPath, arch);
    }

    /**
     * These options with an explicit {@code nvidia-cdi-hook}. The spec names only the
     * subcommands of the program's nvidia-container-toolkit release, read from the program's file
     * (its Go build information); a program whose release cannot be read gets
     * {@code create-symlinks} and {@code update-ldcache} only (docs/cdi.md).
     *
     * @param guestPath the hook program the spec's hooks run
     * @return a copy with that hook
     * @throws NvrcException when {@code guestPath} is not an absolute path
     */
    public CdiSpecOptions withCdiHookPath(String guestPath) throws NvrcException {
        return new CdiSpecOptions(driverRoot, devRoot, normalize("nvidia-cdi-hook path", guestPath), arch);
    }

    /**
     * These options for the libraries of another architecture: an image of an aarch64 (Grace)
     * guest read on an x86_64 machine, say.
     *
     * @param name the kernel's name ({@code x86_64}, {@code aarch64}) or Debian's ({@code amd64},
     *     {@code arm64}); case does not matter
     * @return a copy for that architecture
     * @throws NvrcException when nvrc knows no architecture of that name
     */
    public CdiSpecOptions withArchitecture(String name) throws NvrcException {
        Objects.requireNonNull(name, "name");
        Arch other = Arch.of(name).orElseThrow(() -> new NvrcException(
                name + ": unknown architecture (known: " + Arch.names() + ")"));
        return new CdiSpecOptions(driverRoot, devRoot, cdiHookPath, other);
    }

    /**
     * The architecture whose multiarch directories hold the driver's libraries.
     *
     * @return the kernel's name of it: {@code x86_64} or {@code aarch64}
     */
    public String architecture() {
        return arch.id();
    }

    /**
     * The driver root.
     *
     * @return an absolute, normalized guest path
     */
    public String driverRoot() {
        return driverRoot;
    }

    /**
     * The dev root.
     *
     * @return an absolute, normalized guest path
     */
    public String devRoot() {
        return devRoot;
    }

    /**
     * The hook, if one was given explicitly.
     *
     * @return the hook's guest path, or empty: it is looked for under the driver root
     */
    public Optional<String> cdiHookPath() {
        return Optional.ofNullable(cdiHookPath);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CdiSpecOptions other && driverRoot.equals(other.driverRoot) && devRoot.equals(other.devRoot)
                && Objects.equals(cdiHookPath, other.cdiHookPath) && arch == other.arch;
    }

    @Override
    public int hashCode() {
        return Objects.hash(driverRoot, devRoot, cdiHookPath, arch);
    }

    @Override
    public String toString() {
        return "CdiSpecOptions[driverRoot=" + driverRoot + ", devRoot=" + devRoot + ", cdiHookPath="
                + cdiHookPath().orElse("(looked for)") + ", architecture=" + architecture() + "]";
    }

    /** {@code path} normalized, or an NvrcException naming the option when it is not absolute. */
    private static String normalize(String what, String path) throws NvrcException {
        Objects.requireNonNull(path, "guestPath");
        if (!path.startsWith("/")) {
            throw new NvrcException(what + " must be an absolute guest path: " + path);
        }
        return Path.of(path).normalize().toString();
    }
}
