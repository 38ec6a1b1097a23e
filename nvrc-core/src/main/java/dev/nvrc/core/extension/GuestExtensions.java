package dev.nvrc.core.extension;

import dev.nvrc.core.BootFailure;
import dev.nvrc.core.GuestLayout;
import dev.nvrc.core.NvrcPaths;
import dev.nvrc.core.cmdline.BootConfig;
import dev.nvrc.core.api.VerityParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The extensions of a boot, reconciled one to one, failing closed:
 *
 * <ul>
 *   <li>a device with {@code kata.extension.<name>.verity_params}: verified and mounted;
 *   <li>a device without them: the boot stops (the measurement was stripped; an unverified mount
 *       is refused, there is no fallback);
 *   <li>parameters without a device: the boot stops (the extension the image was measured with is
 *       missing, or a device has another name).
 * </ul>
 *
 * @param extensions the extensions to mount, sorted by name
 */
public record GuestExtensions(List<GuestExtension> extensions) {
    public GuestExtensions {
        extensions = List.copyOf(extensions);
    }

    /** No extension: a monolithic image. */
    public static GuestExtensions none() {
        return new GuestExtensions(List.of());
    }

    /** Discovers the devices under {@code paths} and reconciles them with {@code config}'s parameters. */
    public static GuestExtensions decide(BootConfig config, NvrcPaths paths) throws BootFailure {
        return reconcile(config.extensions(), ExtensionDevice.discover(paths), paths);
    }

    /** Reconciles {@code devices} with {@code params} (by extension name) and finds each device's partitions. */
    public static GuestExtensions reconcile(Map<String, VerityParameters> params, List<ExtensionDevice> devices,
            NvrcPaths paths) throws BootFailure {
        Objects.requireNonNull(params, "params");
        Map<String, ExtensionDevice> byName = new TreeMap<>();
        devices.forEach(d -> byName.put(d.name(), d));
        for (String name : new TreeMap<>(params).keySet()) {
            if (!byName.containsKey(name)) {
                throw new BootFailure("extension " + name + ": kata.extension." + name + ".verity_params is on the"
                        + " command line but no block device has the serial " + ExtensionDevice.SERIAL_PREFIX + name);
            }
        }
        List<GuestExtension> result = new ArrayList<>();
        for (ExtensionDevice device : byName.values()) {
            VerityParameters verity = params.get(device.name());
            if (verity == null) {
                throw new BootFailure("extension " + device.name() + ": block device " + device.device()
                        + " (serial " + ExtensionDevice.SERIAL_PREFIX + device.name() + ") has no kata.extension."
                        + device.name() + ".verity_params on the command line; refusing an unverified mount");
            }
            result.add(new GuestExtension(device.name(), device.device(), ExtensionPartitions.find(paths, device),
                    verity));
        }
        return new GuestExtensions(result);
    }

    /** The layout these extensions give the guest once mounted. */
    public GuestLayout layout() {
        return GuestLayout.withExtensions(extensions.stream().map(GuestExtension::name).toList());
    }

    /** True when there is none. */
    public boolean isEmpty() {
        return extensions.isEmpty();
    }
}
