package dev.nvrc.kernel.process;

import java.nio.file.Path;
import java.util.Objects;

/** Where a child's stdout and stderr go (stdin is always /dev/null). */
public sealed interface ChildOutput {
    /** To /dev/null. */
    static ChildOutput discard() {
        return new Discard();
    }

    /** To this process's own stdout and stderr (the console of PID 1). */
    static ChildOutput inherit() {
        return new Inherit();
    }

    /** Appended to {@code file}, created 0644 if missing (also /dev/kmsg: one record per write). */
    static ChildOutput toFile(Path file) {
        return new ToFile(file);
    }

    /** /dev/null. */
    record Discard() implements ChildOutput {}

    /** The parent's descriptors 1 and 2. */
    record Inherit() implements ChildOutput {}

    /** A file opened for appending. */
    record ToFile(Path file) implements ChildOutput {
        public ToFile {
            Objects.requireNonNull(file, "file");
        }
    }

    /** The write end of a pipe (the runner's own capture). */
    record ToDescriptor(int fd) implements ChildOutput {}
}
