package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What kata-agent's CDI reader (the Rust crate {@code container-device-interface} of
 * cncf-tags/container-device-interface-rs: its {@code src/specs/config.rs} types, every one
 * {@code deny_unknown_fields}, and {@code src/version.rs}, the version gate, as read for the v1.20 compatibility work)
 * refuses in a spec, as text; empty means it loads the spec. One refused file in
 * {@code /var/run/cdi} fails the whole directory, so no container of the VM would get a GPU.
 *
 * <ul>
 *   <li>Every struct denies unknown fields: the fields below are all it knows.</li>
 *   <li>Required fields ({@code cdiVersion}, {@code kind}, {@code devices}, a device's
 *       {@code name} and {@code containerEdits}, a node's {@code path}, a hook's
 *       {@code hookName} and {@code path}, a mount's {@code hostPath} and {@code containerPath})
 *       and the integer types ({@code major}/{@code minor} i64, {@code fileMode}, {@code uid},
 *       {@code gid} and {@code additionalGids} u32).</li>
 *   <li>{@code cdiVersion} must be a released version and at least what the content needs:
 *       0.4.0 for a mount {@code type}, 0.5.0 for a device name not starting with a letter or a
 *       node {@code hostPath}, 0.6.0 for annotations or a class with a dot, 0.7.0 for
 *       {@code additionalGids} or {@code intelRdt}, 1.1.0 for {@code netDevices}.</li>
 * </ul>
 */
final class KataCdiRules {
    static final List<String> VERSIONS = List.of("0.1.0", "0.2.0", "0.3.0", "0.4.0", "0.5.0", "0.6.0", "0.7.0",
            "0.8.0", "1.0.0", "1.1.0");

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "spec", Set.of("cdiVersion", "kind", "annotations", "devices", "containerEdits"),
            "device", Set.of("name", "annotations", "containerEdits"),
            "edits", Set.of("env", "deviceNodes", "netDevices", "hooks", "mounts", "intelRdt", "additionalGids"),
            "node", Set.of("path", "hostPath", "type", "major", "minor", "fileMode", "permissions", "uid", "gid"),
            "hook", Set.of("hookName", "path", "args", "env", "timeout"),
            "mount", Set.of("hostPath", "containerPath", "type", "options"));

    private KataCdiRules() {
    }

    static List<String> problems(JsonNode spec) {
        List<String> out = new ArrayList<>();
        fields(spec, "spec", "$", out);
        required(spec, "$", out, "cdiVersion", "kind", "devices");
        String declared = spec.path("cdiVersion").asText();
        if (!VERSIONS.contains(declared)) {
            out.add("invalid version " + declared);
        }
        String needed = "0.3.0";
        if (spec.has("annotations") && spec.get("annotations").size() > 0
                || spec.path("kind").asText().contains("/") && spec.path("kind").asText().split("/", 2)[1].contains(".")) {
            needed = max(needed, "0.6.0");
        }
        int i = 0;
        for (JsonNode device : spec.path("devices")) {
            String at = "$.devices[" + i++ + "]";
            fields(device, "device", at, out);
            required(device, at, out, "name", "containerEdits");
            String name = device.path("name").asText();
            if (name.isEmpty() || !Character.isLetter(name.codePointAt(0))) {
                needed = max(needed, "0.5.0");
            }
            if (device.has("annotations") && device.get("annotations").size() > 0) {
                needed = max(needed, "0.6.0");
            }
            needed = max(needed, edits(device.path("containerEdits"), at + ".containerEdits", out));
        }
        if (spec.has("containerEdits")) {
            needed = max(needed, edits(spec.get("containerEdits"), "$.containerEdits", out));
        }
        if (VERSIONS.contains(declared) && VERSIONS.indexOf(declared) < VERSIONS.indexOf(needed)) {
            out.add("cdiVersion " + declared + " is less than the " + needed + " the content needs");
        }
        return out;
    }

    /** Checks one containerEdits object and returns the version it needs. */
    private static String edits(JsonNode edits, String at, List<String> out) {
        String needed = "0.3.0";
        fields(edits, "edits", at, out);
        for (JsonNode node : edits.path("deviceNodes")) {
            fields(node, "node", at + ".deviceNodes", out);
            required(node, at + ".deviceNodes", out, "path");
            integer(node, "major", Long.MIN_VALUE, Long.MAX_VALUE, at, out);
            integer(node, "minor", Long.MIN_VALUE, Long.MAX_VALUE, at, out);
            integer(node, "fileMode", 0, 0xffffffffL, at, out);
            integer(node, "uid", 0, 0xffffffffL, at, out);
            integer(node, "gid", 0, 0xffffffffL, at, out);
            if (!node.path("hostPath").asText("").isEmpty()) {
                needed = max(needed, "0.5.0");
            }
        }
        for (JsonNode hook : edits.path("hooks")) {
            fields(hook, "hook", at + ".hooks", out);
            required(hook, at + ".hooks", out, "hookName", "path");
        }
        for (JsonNode mount : edits.path("mounts")) {
            fields(mount, "mount", at + ".mounts", out);
            required(mount, at + ".mounts", out, "hostPath", "containerPath");
            if (!mount.path("type").asText("").isEmpty()) {
                needed = max(needed, "0.4.0");
            }
        }
        JsonNode gids = edits.path("additionalGids");
        for (JsonNode gid : gids) {
            if (!gid.canConvertToLong() || !gid.isIntegralNumber() || gid.asLong() < 0 || gid.asLong() > 0xffffffffL) {
                out.add(at + ".additionalGids: " + gid + " is not a u32");
            }
        }
        if (gids.size() > 0 || edits.has("intelRdt")) {
            needed = max(needed, "0.7.0");
        }
        if (edits.path("netDevices").size() > 0) {
            needed = max(needed, "1.1.0");
        }
        return needed;
    }

    private static void integer(JsonNode node, String field, long min, long max, String at, List<String> out) {
        if (!node.has(field)) {
            return;
        }
        JsonNode v = node.get(field);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            out.add(at + ": " + field + " " + v + " is not an integer in [" + min + ", " + max + "]");
        }
    }

    private static void required(JsonNode node, String at, List<String> out, String... names) {
        for (String name : names) {
            if (!node.has(name) || node.get(name).isNull()) {
                out.add(at + ": missing field '" + name + "'");
            }
        }
    }

    private static void fields(JsonNode node, String type, String at, List<String> out) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.get(type).contains(field)) {
                out.add(at + ": unknown field '" + field + "'");
            }
        }
    }

    private static String max(String a, String b) {
        return VERSIONS.indexOf(a) >= VERSIONS.indexOf(b) ? a : b;
    }
}
