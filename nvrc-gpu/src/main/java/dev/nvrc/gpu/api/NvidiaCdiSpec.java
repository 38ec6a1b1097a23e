package dev.nvrc.gpu.api;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GivenRoot;
import dev.nvrc.core.api.NvrcException;
import dev.nvrc.gpu.cdi.CdiDevice;
import dev.nvrc.gpu.cdi.CdiSpec;
import dev.nvrc.gpu.cdi.CdiSpecGenerator;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The CDI spec ({@code nvidia.com/gpu}) of the NVIDIA GPUs of a machine, generated from the files
 * under a root exactly as the init writes it at boot and {@code nvrc cdi --root} prints it
 * (docs/cdi.md): per GPU in PCI address order a device named by its index and one by its UUID
 * (MIG devices as {@code <gpu>:<mig>}), then {@code all}.
 *
 * <p>Everything is read under the root ({@code /proc/driver/nvidia}, {@code /sys}, the dev root and
 * the driver root); the paths written into the spec are the guest's, without the root, so the spec
 * of an image unpacked at {@code /mnt/image} is the one that machine would write itself.
 *
 * <p>Immutable (the spec model is a tree of records over unmodifiable lists), and so safe to share
 * between threads; {@link #write} may be called from several threads, each write atomic on its own.
 */
public final class NvidiaCdiSpec {
    /** Where the init writes the spec, as a guest path; container runtimes read {@code /var/run/cdi}. */
    public static final String SPEC_PATH = CdiSpecGenerator.SPEC_PATH;

    private final CdiSpec spec;

    private NvidiaCdiSpec(CdiSpec spec) {
        this.spec = spec;
    }

    /**
     * The spec of the tree at {@code root} with the options {@link CdiSpecOptions#detect} picks.
     *
     * @param root the root of an unpacked image, a fixture or {@code Path.of("/")} (host path)
     * @return the spec
     * @throws NvrcException as {@link #generate(Path, CdiSpecOptions)}
     */
    public static NvidiaCdiSpec generate(Path root) throws NvrcException {
        return generate(root, CdiSpecOptions.detect(root));
    }

    /**
     * The spec of the tree at {@code root}.
     *
     * @param root the root of an unpacked image, a fixture or {@code Path.of("/")} (host path)
     * @param options where the driver's files, the device nodes and the hook are, as guest paths
     * @return the spec, with the lowest CDI version its content needs
     * @throws NvrcException when {@code root} is not a directory or has no {@code sys} directory
     *     (refused alike by every api call that reads a tree), or something a container needs is
     *     missing or inconsistent (the driver version, a GPU's device node, the driver libraries, a
     *     GPU the driver lists but sysfs does not); the message starts with {@code under <root>: },
     *     the root as given, and names the file as a path in the tree
     */
    public static NvidiaCdiSpec generate(Path root, CdiSpecOptions options) throws NvrcException {
        Objects.requireNonNull(options, "options");
        GivenRoot tree = GivenRoot.open(root);
        try {
            return new NvidiaCdiSpec(CdiSpecGenerator.generate(tree.paths(), options));
        } catch (BootFailure e) {
            throw new NvrcException(tree.explain(e.getMessage()), e.getCause());
        }
    }

    /**
     * The CDI version the spec declares.
     *
     * @return the lowest version its content needs: {@code "0.5.0"} for the usual spec (device
     *     names that start with a digit), {@code "0.7.0"} when a device node needs an additional
     *     group ({@code additionalGids}: a node of a group other than root that is not
     *     world-readable and -writable)
     */
    public String cdiVersion() {
        return spec.cdiVersion();
    }

    /**
     * The spec's kind.
     *
     * @return {@code "nvidia.com/gpu"}
     */
    public String kind() {
        return spec.kind();
    }

    /**
     * The names of the devices, in the order they are written.
     *
     * @return such as {@code ["0", "GPU-4cf8db2d-...", "all"]}
     */
    public List<String> deviceNames() {
        return spec.devices().stream().map(CdiDevice::name).toList();
    }

    /**
     * The spec as JSON: nvidia-ctk's field order, two-space indent, a final newline; the same spec
     * always gives the same bytes.
     *
     * @return the JSON text
     */
    public String toJson() {
        return CdiSpecGenerator.toJson(spec);
    }

    /**
     * Writes the JSON to {@code target} so that no reader ever sees part of it: a temporary file in
     * the same directory, fsync, rename over the target, fsync of the directory; mode 0644, as
     * nvidia-ctk writes specs. Missing directories are created; an existing regular file is
     * replaced. A symbolic link, device node, FIFO or directory at {@code target} is refused and
     * left as it is.
     *
     * @param target the host path to write, such as {@code root.resolve("var/run/cdi/nvidia.json")}
     * @throws NvrcException when the file cannot be written; the message names it and why
     */
    public void write(Path target) throws NvrcException {
        Objects.requireNonNull(target, "target");
        try {
            CdiSpecGenerator.writeAtomically(spec, target);
        } catch (BootFailure e) {
            throw new NvrcException(e.getMessage(), e.getCause());
        }
    }

    /** Two specs are equal when their content is (and so their JSON). */
    @Override
    public boolean equals(Object o) {
        return o instanceof NvidiaCdiSpec other && spec.equals(other.spec);
    }

    @Override
    public int hashCode() {
        return spec.hashCode();
    }

    @Override
    public String toString() {
        return "NvidiaCdiSpec[" + kind() + " " + cdiVersion() + ", devices " + deviceNames() + "]";
    }
}
