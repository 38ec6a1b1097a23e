package dev.nvrc.fabric;

import dev.nvrc.core.io.AtomicFile;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.api.RailPolicy;
import dev.nvrc.core.io.BoundedFile;
import dev.nvrc.core.plan.BootContext;
import dev.nvrc.core.plan.PlanEntry;
import dev.nvrc.core.plan.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code fabricmanager.cfg}: copies the config the image ships to {@value #RUN_CONFIG} with
 * nvrc's settings ({@link #settings}), atomically and mode 0400. The shipped file is never
 * modified (the image is read-only).
 */
final class FabricManagerConfigStep implements Step {
    /** The config Fabric Manager is started with. */
    static final String RUN_CONFIG = "/run/fabricmanager.cfg";
    /** r-------- : Fabric Manager (root) reads it, nobody changes it behind our back. */
    static final Set<PosixFilePermission> MODE_0400 = Set.of(PosixFilePermission.OWNER_READ);

    /**
     * The keys of Fabric Manager's config that name a directory of the NVIDIA user space, with
     * the value Fabric Manager uses when the key is absent (Fabric Manager user guide): the
     * topology files and the NVSwitch database. With the gpu extension they must point into it.
     */
    static final Map<String, String> USER_SPACE_DIRECTORIES = Map.of(
            "TOPOLOGY_FILE_PATH", "/usr/share/nvidia/nvswitch",
            "DATABASE_PATH", "/usr/share/nvidia/nvswitch");

    /** Where Fabric Manager keeps its state with {@code FABRIC_MODE=1}: it must be writable, and {@code /run} is. */
    static final String STATE_FILE = "/run/fabricmanager.state";
    /** {@code LOG_LEVEL} 4: INFO and above, where Fabric Manager logs its readiness lines. */
    static final int LOG_LEVEL_INFO = 4;

    private final String shipped;
    private final GuestLayout layout;
    private final Map<String, String> settings;

    FabricManagerConfigStep(GuestLayout layout, int fabricMode, RailPolicy railPolicy) {
        this.shipped = layout.path(FabricSteps.SHIPPED_FABRIC_MANAGER_CONFIG);
        this.layout = layout;
        this.settings = settings(fabricMode, railPolicy);
    }

    /**
     * The keys nvrc sets, in the order missing ones are appended.
     * <ul>
     *   <li>{@code FABRIC_MODE}: 0 bare metal / full passthrough, 1 shared NVSwitch service VM.</li>
     *   <li>{@code PARTITION_RAIL_POLICY}: {@code greedy} or {@code symmetric}.</li>
     *   <li>{@code DAEMONIZE=0}: Fabric Manager stays the process nvrc started, so its readiness,
     *       death and last lines can be followed (its own default, 1, forks and exits 0).</li>
     *   <li>{@code LOG_USE_SYSLOG=1}: its readiness marker reaches {@code /dev/log}, the only
     *       place nvrc looks for it (its own default, 0, logs to a file only).</li>
     *   <li>{@code STATE_FILE_NAME=}{@value #STATE_FILE}: written with {@code FABRIC_MODE=1}, so it
     *       must be on a writable file system whatever the image's root is.</li>
     * </ul>
     * {@code LOG_LEVEL} is raised to {@value #LOG_LEVEL_INFO} at run time when the shipped value
     * is lower, unset or not a number ({@link #effectiveSettings}): the readiness lines are INFO.
     */
    static Map<String, String> settings(int fabricMode, RailPolicy railPolicy) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("FABRIC_MODE", Integer.toString(fabricMode));
        s.put("PARTITION_RAIL_POLICY", railPolicy.canonical());
        s.put("DAEMONIZE", "0");
        s.put("LOG_USE_SYSLOG", "1");
        s.put("STATE_FILE_NAME", STATE_FILE);
        return Collections.unmodifiableMap(s);
    }

    @Override
    public String name() {
        return FabricSteps.FABRIC_MANAGER_CONFIG;
    }

    @Override
    public PlanEntry describe() {
        PlanEntry entry = PlanEntry.of(name(), Map.of())
                .with("source", shipped)
                .with("path", RUN_CONFIG)
                .with("mode", "0400")
                .with("set", settings.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")))
                .with("raise", "LOG_LEVEL to " + LOG_LEVEL_INFO + " (INFO, where the readiness lines are) when the"
                        + " shipped value is lower or unset")
                .with("require", "the directories of TOPOLOGY_FILE_PATH and DATABASE_PATH exist");
        if (layout.isGpuExtension()) {
            entry = entry.with("relocate", String.join(" ", new java.util.TreeSet<>(USER_SPACE_DIRECTORIES.keySet()))
                    + " under " + layout.extensionRoot().orElseThrow() + " (the shipped values, "
                    + "/usr/share/nvidia/nvswitch when unset)");
        }
        return entry;
    }

    @Override
    public void run(BootContext context) throws BootFailure {
        byte[] original = readShipped(context.paths().resolve(shipped));
        Map<String, String> effective = effectiveSettings(original);
        requireDirectories(context, original, effective);
        FabricManagerConfig.Rewrite rewrite = FabricManagerConfig.rewrite(original, effective);
        AtomicFile.write(context.paths().resolve(RUN_CONFIG), rewrite.content(), MODE_0400, RUN_CONFIG);
    }

    /**
     * The settings, plus, with the gpu extension, each {@link #USER_SPACE_DIRECTORIES} key
     * pointed into it: the shipped value (its last assignment, which Fabric Manager honours;
     * the default when there is none) under the extension root, unless it is there already (an
     * image that edited its config, as Kata's did). Upstream leaves the shipped paths, so Fabric
     * Manager finds no topology on such an image (upstream issue #203).
     */
    Map<String, String> withRelocations(byte[] original) {
        if (!layout.isGpuExtension()) {
            return settings;
        }
        Map<String, String> all = new LinkedHashMap<>(settings);
        String root = layout.extensionRoot().orElseThrow();
        for (String key : new java.util.TreeSet<>(USER_SPACE_DIRECTORIES.keySet())) {
            String value = shippedDirectory(original, key);
            if (value.startsWith("/") && !value.equals(root) && !value.startsWith(root + "/")) {
                all.put(key, layout.path(value));
            }
        }
        return all;
    }

    /**
     * {@link #withRelocations}, plus {@code LOG_LEVEL=4} when the shipped config's (last) value
     * is below INFO, absent or not a number: Fabric Manager's readiness lines are logged at INFO,
     * so a shipped {@code LOG_LEVEL=1} (CRITICAL only) would hide them and the wait would time out.
     * A higher level (none is documented above 4) is kept.
     */
    Map<String, String> effectiveSettings(byte[] original) {
        Map<String, String> all = new LinkedHashMap<>(withRelocations(original));
        Integer level = shipped(original, "LOG_LEVEL").map(FabricManagerConfigStep::parseLevel).orElse(null);
        if (level == null || level < LOG_LEVEL_INFO) {
            all.put("LOG_LEVEL", Integer.toString(LOG_LEVEL_INFO));
        }
        return all;
    }

    private static Integer parseLevel(String value) {
        return value.matches("[0-9]{1,3}") ? Integer.valueOf(value) : null;
    }

    /**
     * The topology files and the NVSwitch database must be where the config Fabric Manager gets
     * says: a directory that is not there would let it start and never become ready.
     */
    private void requireDirectories(BootContext context, byte[] original, Map<String, String> effective)
            throws BootFailure {
        for (String key : new java.util.TreeSet<>(USER_SPACE_DIRECTORIES.keySet())) {
            String value = effective.getOrDefault(key, shippedDirectory(original, key));
            if (value.startsWith("/") && !Files.isDirectory(context.paths().resolve(value))) {
                throw new BootFailure("Fabric Manager's " + key + " " + value + " is not a directory: the image must ship"
                        + " Fabric Manager's " + (key.startsWith("TOPOLOGY") ? "topology files" : "NVSwitch database")
                        + " there (" + shipped + ")");
            }
        }
    }

    /** {@code /x # note} is {@code /x}: a value's trailing comment is not part of the path. */
    /**
     * The shipped value of {@code key}: its last assignment (the one Fabric Manager honours),
     * without a trailing comment; empty when the config does not set it.
     */
    private static Optional<String> shipped(byte[] original, String key) {
        List<String> values = FabricManagerConfig.valuesOf(original, key);
        return values.isEmpty() ? Optional.empty() : Optional.of(stripComment(values.get(values.size() - 1)));
    }

    /** The shipped value of the directory {@code key}, or Fabric Manager's default when it is unset. */
    private static String shippedDirectory(byte[] original, String key) {
        return shipped(original, key).orElse(USER_SPACE_DIRECTORIES.get(key));
    }

    private static String stripComment(String value) {
        int hash = value.indexOf('#');
        return (hash < 0 ? value : value.substring(0, hash)).strip();
    }

    private byte[] readShipped(Path file) throws BootFailure {
        if (Files.isDirectory(file)) {
            throw new BootFailure("Fabric Manager config " + shipped + " is a directory, expected the config file"
                    + " shipped with nv-fabricmanager");
        }
        try {
            return BoundedFile.read(file, BoundedFile.CONFIG_FILE);
        } catch (NoSuchFileException e) {
            throw new BootFailure("Fabric Manager config " + shipped + " is missing: the image must ship it"
                    + " with nv-fabricmanager", e);
        } catch (IOException e) {
            throw new BootFailure("cannot read Fabric Manager config " + shipped + ": " + IoReason.of(e), e);
        }
    }
}
