package dev.nvrc.gpu.cdi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the CDI schema does not check but runtimes (or common sense) do: the version, the kind and
 * device-name syntax, duplicate names, absolute paths, env entries, and fields podman 4.3 does not
 * know. Returns the problems as text; empty means none.
 */
final class CdiSpecChecks {
    /** Versions podman 4.3's CDI library accepts. */
    static final Set<String> PODMAN_43_VERSIONS = Set.of("0.3.0", "0.4.0", "0.5.0");

    private static final Pattern VENDOR = Pattern.compile("[A-Za-z][A-Za-z0-9.-]*[A-Za-z0-9]");
    private static final Pattern CLASS = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]*[A-Za-z0-9]|[A-Za-z0-9]");
    private static final Pattern ENV = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");

    private static final Map<String, Set<String>> FIELDS = Map.of(
            "spec", Set.of("cdiVersion", "kind", "devices", "containerEdits"),
            "device", Set.of("name", "containerEdits"),
            "edits", Set.of("env", "deviceNodes", "hooks", "mounts"),
            "node", Set.of("path", "hostPath", "type", "major", "minor", "fileMode", "permissions", "uid", "gid"),
            "hook", Set.of("hookName", "path", "args", "env", "timeout"),
            "mount", Set.of("hostPath", "containerPath", "options", "type"));

    private CdiSpecChecks() {
    }

    static List<String> problems(JsonNode spec) {
        List<String> out = new ArrayList<>();
        fields(spec, "spec", "$", out);
        String version = spec.path("cdiVersion").asText();
        if (!PODMAN_43_VERSIONS.contains(version)) {
            out.add("cdiVersion " + version + " is not one podman 4.3 accepts " + PODMAN_43_VERSIONS);
        }
        String kind = spec.path("kind").asText();
        String[] parts = kind.split("/", -1);
        if (parts.length != 2 || !VENDOR.matcher(parts[0]).matches() || !CLASS.matcher(parts[1]).matches()) {
            out.add("kind '" + kind + "' is not vendor.tld/class");
        }
        Set<String> names = new HashSet<>();
        int i = 0;
        for (JsonNode device : spec.path("devices")) {
            String at = "$.devices[" + i++ + "]";
            fields(device, "device", at, out);
            String name = device.path("name").asText();
            if (!NAME.matcher(name).matches()) {
                out.add(at + ": invalid device name '" + name + "'");
            }
            if (!names.add(name)) {
                out.add(at + ": duplicate device name '" + name + "'");
            }
            edits(device.path("containerEdits"), at + ".containerEdits", out);
        }
        if (spec.has("containerEdits")) {
            edits(spec.path("containerEdits"), "$.containerEdits", out);
        }
        return out;
    }

    private static void edits(JsonNode edits, String at, List<String> out) {
        fields(edits, "edits", at, out);
        for (JsonNode env : edits.path("env")) {
            if (!ENV.matcher(env.asText()).matches()) {
                out.add(at + ".env: '" + env.asText() + "' is not KEY=value");
            }
        }
        for (JsonNode node : edits.path("deviceNodes")) {
            fields(node, "node", at + ".deviceNodes", out);
            absolute(node, "path", at + ".deviceNodes", out);
            absolute(node, "hostPath", at + ".deviceNodes", out);
        }
        for (JsonNode hook : edits.path("hooks")) {
            fields(hook, "hook", at + ".hooks", out);
            absolute(hook, "path", at + ".hooks", out);
            if (!hook.path("hookName").asText().equals("createContainer")) {
                out.add(at + ".hooks: unexpected hookName " + hook.path("hookName"));
            }
        }
        for (JsonNode mount : edits.path("mounts")) {
            fields(mount, "mount", at + ".mounts", out);
            absolute(mount, "hostPath", at + ".mounts", out);
            absolute(mount, "containerPath", at + ".mounts", out);
        }
    }

    private static void absolute(JsonNode node, String field, String at, List<String> out) {
        if (node.has(field) && !node.get(field).asText().startsWith("/")) {
            out.add(at + ": " + field + " '" + node.get(field).asText() + "' is not absolute");
        }
    }

    private static void fields(JsonNode node, String type, String at, List<String> out) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.get(type).contains(field)) {
                out.add(at + ": field '" + field + "' is unknown to podman 4.3 (CDI 0.5.0)");
            }
        }
    }
}
