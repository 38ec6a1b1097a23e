package dev.nvrc.gpu.cdi;

import java.util.List;

/**
 * The JSON text of a spec: two-space indent, one array element per line, {@code "key": value},
 * a final newline, {@code nvidia-ctk}'s field order (Go's {@code json.MarshalIndent} layout), empty
 * lists and absent values left out. The same spec always gives the same bytes.
 *
 * <p>Written into one {@link StringBuilder} by hand rather than with a JSON library: the layout is
 * fixed and small, and the init makes this call once, in a fresh JVM, where a library's
 * generator would first be loaded and run interpreted, character by character, through its
 * layers (under the VM benchmark's emulated CPU the largest part of the step; docs/cdi.md, "Cost
 * at boot"). The bytes are those Jackson's data binding gives for the annotated model with the
 * same layout, which a test holds equal, strings with quotes, backslashes, control and non-ASCII
 * characters included.
 */
final class CdiJson {
    private CdiJson() {
    }

    /** The spec as pretty-printed JSON ending in a newline. */
    static String write(CdiSpec spec) {
        Out o = new Out(new StringBuilder(1024 + 1024 * spec.devices().size()));
        o.open('{');
        o.field("cdiVersion").string(spec.cdiVersion());
        o.field("kind").string(spec.kind());
        if (!spec.devices().isEmpty()) {
            o.field("devices").open('[');
            for (CdiDevice device : spec.devices()) {
                o.element().open('{');
                o.field("name").string(device.name());
                o.field("containerEdits");
                edits(o, device.containerEdits());
                o.close('}');
            }
            o.close(']');
        }
        o.field("containerEdits");
        edits(o, spec.containerEdits());
        o.close('}');
        return o.text.append('\n').toString();
    }

    private static void edits(Out o, ContainerEdits edits) {
        o.open('{');
        strings(o, "env", edits.env());
        if (!edits.deviceNodes().isEmpty()) {
            o.field("deviceNodes").open('[');
            for (DeviceNode node : edits.deviceNodes()) {
                o.element().open('{');
                o.field("path").string(node.path());
                if (node.hostPath() != null) {
                    o.field("hostPath").string(node.hostPath());
                }
                if (node.major() != null) {
                    o.field("major").number(node.major());
                }
                if (node.minor() != null) {
                    o.field("minor").number(node.minor());
                }
                if (node.fileMode() != null) {
                    o.field("fileMode").number(node.fileMode());
                }
                if (node.permissions() != null) {
                    o.field("permissions").string(node.permissions());
                }
                if (node.gid() != null) {
                    o.field("gid").number(node.gid());
                }
                o.close('}');
            }
            o.close(']');
        }
        if (!edits.hooks().isEmpty()) {
            o.field("hooks").open('[');
            for (Hook hook : edits.hooks()) {
                o.element().open('{');
                o.field("hookName").string(hook.hookName());
                o.field("path").string(hook.path());
                strings(o, "args", hook.args());
                strings(o, "env", hook.env());
                o.close('}');
            }
            o.close(']');
        }
        if (!edits.mounts().isEmpty()) {
            o.field("mounts").open('[');
            for (Mount mount : edits.mounts()) {
                o.element().open('{');
                o.field("hostPath").string(mount.hostPath());
                o.field("containerPath").string(mount.containerPath());
                strings(o, "options", mount.options());
                o.close('}');
            }
            o.close(']');
        }
        List<Long> gids = edits.additionalGids();
        if (!gids.isEmpty()) {
            o.field("additionalGids").open('[');
            for (long gid : gids) {
                o.element().number(gid);
            }
            o.close(']');
        }
        o.close('}');
    }

    private static void strings(Out o, String field, List<String> values) {
        if (values.isEmpty()) {
            return;
        }
        o.field(field).open('[');
        for (String value : values) {
            o.element().string(value);
        }
        o.close(']');
    }

    /**
     * The writer's state: the text, the nesting depth and whether the current object or array has
     * an entry yet (for the comma and for the layout of an empty one, {@code { }} / {@code [ ]}).
     */
    private static final class Out {
        private final StringBuilder text;
        private int depth;
        private long hasEntry;

        Out(StringBuilder text) {
            this.text = text;
        }

        Out open(char bracket) {
            text.append(bracket);
            depth++;
            hasEntry &= ~(1L << depth);
            return this;
        }

        Out close(char bracket) {
            boolean any = (hasEntry & (1L << depth)) != 0;
            depth--;
            if (any) {
                newline();
            } else {
                text.append(' ');
            }
            text.append(bracket);
            return this;
        }

        /** Starts an array element. */
        Out element() {
            entry();
            return this;
        }

        /** Starts an object field: {@code "name": }. */
        Out field(String name) {
            entry();
            quoted(name);
            text.append(": ");
            return this;
        }

        Out string(String value) {
            quoted(value);
            return this;
        }

        Out number(long value) {
            text.append(value);
            return this;
        }

        private void entry() {
            if ((hasEntry & (1L << depth)) != 0) {
                text.append(',');
            }
            hasEntry |= 1L << depth;
            newline();
        }

        private void newline() {
            text.append('\n');
            for (int i = 0; i < depth; i++) {
                text.append("  ");
            }
        }

        /** A JSON string as Jackson writes it: quote, backslash and control characters escaped. */
        private void quoted(String s) {
            text.append('"');
            int n = s.length();
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') {
                    text.append('\\').append(c);
                } else if (c < 0x20) {
                    switch (c) {
                        case '\n' -> text.append("\\n");
                        case '\r' -> text.append("\\r");
                        case '\t' -> text.append("\\t");
                        case '\b' -> text.append("\\b");
                        case '\f' -> text.append("\\f");
                        default -> text.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    }
                } else {
                    text.append(c);
                }
            }
            text.append('"');
        }

        private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    }
}
