package dev.nvrc.fabric;

import dev.nvrc.core.io.AtomicFile;
import dev.nvrc.core.BootFailure;
import dev.nvrc.core.io.IoReason;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.cmdline.RailPolicy;
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
     * </ul>
     */
    static Map<String, String> settings(int fabricMode, RailPolicy railPolicy) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("FABRIC_MODE", Integer.toString(fabricMode));
        s.put("PARTITION_RAIL_POLICY", railPolicy.canonical());
        s.put("DAEMONIZE", "0");
        s.put("LOG_USE_SYSLOG", "1");
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
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
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
        FabricManagerConfig.Rewrite rewrite = FabricManagerConfig.rewrite(original, withRelocations(original));
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
            List<String> values = FabricManagerConfig.valuesOf(original, key);
            String value = values.isEmpty() ? USER_SPACE_DIRECTORIES.get(key) : stripComment(values.get(values.size() - 1));
            if (value.startsWith("/") && !value.equals(root) && !value.startsWith(root + "/")) {
                all.put(key, layout.path(value));
            }
        }
        return all;
    }

    /** {@code /x # note} is {@code /x}: a value's trailing comment is not part of the path. */
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
